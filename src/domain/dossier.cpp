#include "domain/dossier.h"

#include <algorithm>

#include "base/json.h"

namespace motcua::domain {

namespace bj = boost::json;

// ---------------------------------------------------------------------------------------------
// Names and codes.

std::string_view StateName(DossierState s) {
  switch (s) {
    case DossierState::kSubmitted:
      return "submitted";
    case DossierState::kReceived:
      return "received";
    case DossierState::kRefused:
      return "refused";
    case DossierState::kInProcessing:
      return "in_processing";
    case DossierState::kSupplementRequested:
      return "supplement_requested";
    case DossierState::kWithdrawn:
      return "withdrawn";
    case DossierState::kCancelled:
      return "cancelled";
    case DossierState::kResultReady:
      return "result_ready";
    case DossierState::kReturned:
      return "returned";
  }
  return "?";
}

Result<DossierState> ParseState(std::string_view s) {
  for (DossierState st :
       {DossierState::kSubmitted, DossierState::kReceived, DossierState::kRefused,
        DossierState::kInProcessing, DossierState::kSupplementRequested, DossierState::kWithdrawn,
        DossierState::kCancelled, DossierState::kResultReady, DossierState::kReturned}) {
    if (StateName(st) == s) return st;
  }
  return Fail(ErrorCode::kInvalidArgument, "dossier.bad_state", std::string(s.substr(0, 40)));
}

int NationalStatusCode(DossierState s) {
  switch (s) {
    case DossierState::kSubmitted:
      return 1;
    case DossierState::kReceived:
      return 2;
    case DossierState::kRefused:
      return 3;
    case DossierState::kInProcessing:
      return 4;
    case DossierState::kSupplementRequested:
      return 5;
    case DossierState::kWithdrawn:
      return 7;
    case DossierState::kCancelled:
      return 8;
    case DossierState::kResultReady:
      return 9;
    case DossierState::kReturned:
      return 10;
  }
  return 0;
}

bool IsClosed(DossierState s) {
  return s == DossierState::kRefused || s == DossierState::kWithdrawn ||
         s == DossierState::kCancelled || s == DossierState::kReturned;
}

std::string_view RatingName(Rating r) {
  switch (r) {
    case Rating::kVerySatisfied: return "very_satisfied";
    case Rating::kSatisfied: return "satisfied";
    case Rating::kUnsatisfied: return "unsatisfied";
  }
  return "satisfied";
}

Result<Rating> ParseRating(std::string_view s) {
  for (Rating r : {Rating::kVerySatisfied, Rating::kSatisfied, Rating::kUnsatisfied}) {
    if (RatingName(r) == s) return r;
  }
  return Fail(json::BadField("rating", "very_satisfied, satisfied or unsatisfied"));
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kOnline:
      return "online";
    case Channel::kCounter:
      return "counter";
    case Channel::kPost:
      return "post";
    case Channel::kAssisted:
      return "assisted";
  }
  return "?";
}

Result<Channel> ParseChannel(std::string_view s) {
  for (Channel c : {Channel::kOnline, Channel::kCounter, Channel::kPost, Channel::kAssisted}) {
    if (ChannelName(c) == s) return c;
  }
  return Fail(ErrorCode::kInvalidArgument, "dossier.bad_channel", std::string(s.substr(0, 40)));
}

int NationalChannelCode(Channel c) {
  switch (c) {
    case Channel::kCounter:
      return 1;
    case Channel::kOnline:
      return 2;
    case Channel::kAssisted:
      return 2;
    case Channel::kPost:
      return 3;
  }
  return 1;
}

std::string DossierStream(std::string_view code) { return "dossier/" + std::string(code); }

int Dossier::SupplementRounds(bool include_before_receipt) const {
  int n = 0;
  for (const auto& s : supplements) n += include_before_receipt || !s.before_receipt;
  return n;
}

// ---------------------------------------------------------------------------------------------
// JSON helpers for the state document and payloads.

namespace {

bj::value Opt(const std::optional<Timestamp>& t) {
  return t ? bj::value(t->us) : bj::value(nullptr);
}
std::optional<Timestamp> OptTs(const bj::object& o, std::string_view key) {
  auto v = json::OptInt(o, key);
  if (!v) return std::nullopt;
  return Timestamp{*v};
}
Timestamp Ts(const bj::object& o, std::string_view key) {
  return OptTs(o, key).value_or(Timestamp{});
}
std::string Str(const bj::object& o, std::string_view key) {
  return json::OptString(o, key).value_or("");
}
int64_t Int(const bj::object& o, std::string_view key) { return json::OptInt(o, key).value_or(0); }
bool Bool(const bj::object& o, std::string_view key) { return json::OptBool(o, key, false); }
const bj::array& Arr(const bj::object& o, std::string_view key) {
  static const bj::array kEmpty;
  auto it = o.find(key);
  return it != o.end() && it->value().is_array() ? it->value().get_array() : kEmpty;
}
const bj::object& Obj(const bj::object& o, std::string_view key) {
  static const bj::object kEmpty;
  auto it = o.find(key);
  return it != o.end() && it->value().is_object() ? it->value().get_object() : kEmpty;
}
bj::array Strings(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
std::vector<std::string> Strings(const bj::array& a) {
  std::vector<std::string> v;
  for (const auto& x : a) {
    if (x.is_string()) v.emplace_back(x.get_string());
  }
  return v;
}

bj::object LimitJson(const TimeLimit& t) {
  bj::object o{{"unit", LimitUnitName(t.unit)}, {"value", t.value}};
  if (t.hours != 0) o["hours"] = t.hours;
  return o;
}

bj::object ApplicantJson(const Applicant& a) {
  return bj::object{{"kind", a.kind},           {"id_kind", IdKindName(a.id_kind)},
                    {"id_number", a.id_number}, {"name", a.name},
                    {"phone", a.phone},         {"email", a.email},
                    {"address", a.address},     {"identity_verified", a.identity_verified}};
}
Applicant ApplicantFrom(const bj::object& o) {
  Applicant a;
  a.kind = Str(o, "kind");
  a.id_kind = ParseIdKind(Str(o, "id_kind")).value_or(IdKind::kCitizenId);
  a.id_number = Str(o, "id_number");
  a.name = Str(o, "name");
  a.phone = Str(o, "phone");
  a.email = Str(o, "email");
  a.address = Str(o, "address");
  a.identity_verified = Bool(o, "identity_verified");
  return a;
}

}  // namespace

bj::object FileRefJson(const FileRef& f) {
  return bj::object{{"id", f.id},
                    {"name", f.name},
                    {"content_type", f.content_type},
                    {"size", f.size},
                    {"sha256", f.sha256}};
}

FileRef FileRefFrom(const bj::object& f) {
  return FileRef{Str(f, "id"), Str(f, "name"), Str(f, "content_type"), Int(f, "size"),
                 Str(f, "sha256")};
}

namespace {

bj::object ComponentJson(const ComponentRecord& c) {
  bj::object o{{"code", c.code},
               {"name", c.name},
               {"provided", c.provided},
               {"digitised", c.digitised},
               {"reused_from", c.reused_from}};
  // Only when there are files, so that dossiers without uploads keep their compact form.
  if (!c.files.empty()) {
    bj::array files;
    for (const FileRef& f : c.files) files.push_back(FileRefJson(f));
    o["files"] = std::move(files);
  }
  if (!c.doc_type.empty()) o["doc_type"] = c.doc_type;
  return o;
}
ComponentRecord ComponentFrom(const bj::object& o) {
  ComponentRecord c{Str(o, "code"), Str(o, "name"), Bool(o, "provided"), Bool(o, "digitised"),
                    Str(o, "reused_from"), {}, Str(o, "doc_type")};
  for (const auto& fv : Arr(o, "files")) {
    if (!fv.is_object()) continue;
    const auto& f = fv.get_object();
    c.files.push_back(FileRefFrom(f));
  }
  return c;
}

bj::object StepJson(const StepRecord& s) {
  return bj::object{{"code", s.code},
                    {"name", s.name},
                    {"role", s.role},
                    {"unit_kind", s.unit_kind},
                    {"budget_minutes", s.budget_minutes},
                    {"started_at", Opt(s.started_at)},
                    {"due_at", Opt(s.due_at)},
                    {"completed_at", Opt(s.completed_at)},
                    {"completed_by", s.completed_by},
                    {"unit", s.unit},
                    {"late_minutes", s.late_minutes}};
}
StepRecord StepFrom(const bj::object& o) {
  StepRecord s;
  s.code = Str(o, "code");
  s.name = Str(o, "name");
  s.role = Str(o, "role");
  s.unit_kind = Str(o, "unit_kind");
  s.budget_minutes = Int(o, "budget_minutes");
  s.started_at = OptTs(o, "started_at");
  s.due_at = OptTs(o, "due_at");
  s.completed_at = OptTs(o, "completed_at");
  s.completed_by = Str(o, "completed_by");
  s.unit = Str(o, "unit");
  s.late_minutes = Int(o, "late_minutes");
  return s;
}


bj::object FeeLineJson(const FeeLine& l) {
  return bj::object{{"code", l.code},           {"kind", l.kind},
                    {"name", l.name},           {"name_en", l.name_en},
                    {"unit_amount", l.unit_amount}, {"quantity", l.quantity},
                    {"amount", l.amount}};
}

FeeLine FeeLineFrom(const bj::object& o) {
  FeeLine l{Str(o, "code"), Str(o, "kind"), Str(o, "name"), Str(o, "name_en"),
            Int(o, "unit_amount"), json::OptInt(o, "quantity").value_or(1), Int(o, "amount")};
  if (!o.contains("unit_amount")) l.unit_amount = l.amount;  // events before issue #7
  return l;
}

bj::object PaymentEntryJson(const PaymentEntry& p) {
  return bj::object{{"channel", p.channel},   {"online", p.online},
                    {"platform", p.platform}, {"provider", p.provider},
                    {"transaction_no", p.transaction_no}, {"amount", p.amount},
                    {"paid_at", p.paid_at.us}, {"receipt_serial", p.receipt_serial}};
}

PaymentEntry PaymentEntryFrom(const bj::object& o) {
  return PaymentEntry{Str(o, "channel"),  Bool(o, "online"),         Str(o, "platform"),
                      Str(o, "provider"), Str(o, "transaction_no"), Int(o, "amount"),
                      Timestamp{Int(o, "paid_at")}, Str(o, "receipt_serial")};
}

Result<PaymentState> ParsePaymentState(std::string_view s) {
  for (PaymentState st : {PaymentState::kNotRequired, PaymentState::kDue, PaymentState::kPaid,
                          PaymentState::kRefunded, PaymentState::kWaived}) {
    if (PaymentStateName(st) == s) return st;
  }
  return Fail(ErrorCode::kDataLoss, "dossier.bad_document", "payment state");
}

bj::object PaymentJson(const PaymentRecord& p) {
  bj::array lines, payments;
  for (const auto& l : p.lines) lines.push_back(FeeLineJson(l));
  for (const auto& e : p.payments) payments.push_back(PaymentEntryJson(e));
  return bj::object{{"state", PaymentStateName(p.state)},
                    {"stage", p.stage},
                    {"amount_due", p.amount_due},
                    {"lines", std::move(lines)},
                    {"reference", p.reference},
                    {"exemption", p.exemption},
                    {"payments", std::move(payments)},
                    {"transactions", Strings(p.transactions)},
                    {"failed_attempts", p.failed_attempts},
                    {"refunded", p.refunded}};
}

Result<PaymentRecord> PaymentFrom(const bj::object& o) {
  PaymentRecord p;
  auto st = ParsePaymentState(Str(o, "state"));
  if (!st) return std::unexpected(st.error());
  p.state = *st;
  p.stage = Str(o, "stage");
  p.amount_due = Int(o, "amount_due");
  for (const auto& l : Arr(o, "lines")) {
    if (l.is_object()) p.lines.push_back(FeeLineFrom(l.get_object()));
  }
  p.reference = Str(o, "reference");
  p.exemption = Str(o, "exemption");
  for (const auto& e : Arr(o, "payments")) {
    if (e.is_object()) p.payments.push_back(PaymentEntryFrom(e.get_object()));
  }
  p.transactions = Strings(Arr(o, "transactions"));
  p.failed_attempts = static_cast<int>(Int(o, "failed_attempts"));
  p.refunded = Int(o, "refunded");
  return p;
}

Error IllegalTransition(const Dossier& d, std::string_view action) {
  Error e{ErrorCode::kFailedPrecondition,
          "dossier.illegal_transition",
          std::string(action) + " from " + std::string(StateName(d.state)),
          {}};
  e.With("action", std::string(action)).With("state", std::string(StateName(d.state)));
  return e;
}

Error BadEvent(const Event& e, std::string why) {
  Error err{ErrorCode::kDataLoss, "dossier.bad_event", std::move(why), {}};
  err.With("seq", std::to_string(e.seq));
  return err;
}

NewEvent MakeEvent(const std::string& code, std::string type, const Context& ctx,
                   bj::object payload, const std::string& unit) {
  NewEvent e;
  e.stream = DossierStream(code);
  e.type = std::move(type);
  e.unit = unit.empty() ? ctx.actor_unit : unit;
  e.actor = ctx.actor;
  e.at = ctx.now;
  e.payload = std::move(payload);
  return e;
}

bool HasRole(const Context& ctx, std::string_view role) {
  return std::find(ctx.actor_roles.begin(), ctx.actor_roles.end(), role) != ctx.actor_roles.end();
}

// Officer actions on a received dossier are taken by the unit that holds it.
Result<void> RequireHolder(const Dossier& d, const Context& ctx) {
  if (ctx.actor_unit != d.current_unit) {
    Error e{ErrorCode::kPermissionDenied,
            "dossier.not_holder",
            ctx.actor_unit + " does not hold " + d.code,
            {}};
    e.With("unit", d.current_unit);
    return std::unexpected(e);
  }
  return {};
}

Result<void> RequireReason(const std::string& reason) {
  if (reason.empty() || reason.size() > 4000) {
    return Fail(ErrorCode::kInvalidArgument, "dossier.reason_required");
  }
  return {};
}

bool IsApplicant(const Dossier& d, const Context& ctx) {
  return ctx.actor == "citizen:" + d.applicant.id_number;
}

// Fees are paid (or waived) before the stage the procedure names.
Result<void> RequirePaid(const Dossier& d) {
  if (!d.payment.Due()) return {};
  Error e{ErrorCode::kFailedPrecondition, "dossier.payment_due", d.code, {}};
  e.With("amount", FormatVnd(d.payment.amount_due));
  return std::unexpected(e);
}

std::string StepUnit(const Dossier& d, const StepRecord& s) {
  return s.unit_kind == "receiving" ? d.receiving_unit : d.competent_unit;
}

}  // namespace

bj::object Dossier::ToJson() const {
  bj::object o;
  o["code"] = code;
  o["procedure_code"] = procedure_code;
  o["procedure_name"] = procedure_name;
  o["online_level"] = online_level;
  o["time_limit"] = LimitJson(time_limit);
  o["channel"] = ChannelName(channel);
  o["applicant"] = ApplicantJson(applicant);
  o["assisted_by"] = assisted_by;
  o["receiving_unit"] = receiving_unit;
  o["competent_unit"] = competent_unit;
  o["current_unit"] = current_unit;
  o["schedule"] = schedule;
  o["state"] = StateName(state);
  o["status_code"] = NationalStatusCode(state);
  o["resume_state"] = StateName(resume_state);
  o["submitted_at"] = submitted_at.us;
  o["received_at"] = Opt(received_at);
  o["clock_start"] = Opt(clock_start);
  o["due_at"] = Opt(due_at);
  o["original_due_at"] = Opt(original_due_at);
  o["finished_at"] = Opt(finished_at);
  o["returned_at"] = Opt(returned_at);
  o["budget_minutes"] = budget_minutes;
  o["appointment_rule"] = appointment_rule;
  bj::array comps;
  for (const auto& c : components) comps.push_back(ComponentJson(c));
  o["components"] = std::move(comps);
  bj::array fs;
  for (const auto& f : fees)
    fs.push_back(bj::object{{"code", f.code}, {"kind", f.kind}, {"amount", f.amount}});
  o["fees"] = std::move(fs);
  bj::array st;
  for (const auto& s : steps) st.push_back(StepJson(s));
  o["steps"] = std::move(st);
  o["current_step"] = current_step;
  bj::array sup;
  for (const auto& s : supplements) {
    sup.push_back(bj::object{{"round", s.round},
                             {"requested_at", s.requested_at.us},
                             {"requested_by", s.requested_by},
                             {"reason", s.reason},
                             {"items", Strings(s.items)},
                             {"before_receipt", s.before_receipt},
                             {"provided_at", Opt(s.provided_at)},
                             {"paused_minutes", s.paused_minutes}});
  }
  o["supplements"] = std::move(sup);
  bj::array cons;
  for (const auto& c : consultations) {
    cons.push_back(bj::object{{"unit", c.unit},
                              {"question", c.question},
                              {"answer", c.answer},
                              {"requested_at", c.requested_at.us},
                              {"answered_at", Opt(c.answered_at)}});
  }
  o["consultations"] = std::move(cons);
  bj::array tr;
  for (const auto& t : transfers) {
    tr.push_back(bj::object{{"from_unit", t.from_unit},
                            {"to_unit", t.to_unit},
                            {"competent", t.competent},
                            {"reason", t.reason},
                            {"at", t.at.us}});
  }
  o["transfers"] = std::move(tr);
  if (apology) {
    o["apology"] = bj::object{{"at", apology->at.us},
                              {"reason", apology->reason},
                              {"old_due", apology->old_due.us},
                              {"new_due", apology->new_due.us},
                              {"notice_in_time", apology->notice_in_time}};
  } else {
    o["apology"] = nullptr;
  }
  o["outcome_reason"] = outcome_reason;
  o["return_channel"] = return_channel;
  o["result_name"] = result_name;
  if (!result_doc_type.empty()) {
    o["result_doc_type"] = result_doc_type;
    o["result_valid_months"] = result_valid_months;
  }
  o["payment"] = PaymentJson(payment);
  if (rating) {
    o["rating"] = bj::object{
        {"value", RatingName(rating->value)}, {"comment", rating->comment}, {"at", rating->at.us}};
  }
  if (result_document) {
    o["result_document"] = bj::object{{"id", result_document->id},
                                      {"verify_code", result_document->verify_code},
                                      {"file", FileRefJson(result_document->file)},
                                      {"issued_at", result_document->issued_at.us}};
  }
  o["version"] = version;
  return o;
}

Result<Dossier> Dossier::FromJson(const bj::object& o) {
  Dossier d;
  d.code = Str(o, "code");
  if (d.code.empty()) return Fail(ErrorCode::kDataLoss, "dossier.bad_document", "no code");
  d.procedure_code = Str(o, "procedure_code");
  d.procedure_name = Str(o, "procedure_name");
  d.online_level = Str(o, "online_level");
  if (auto tl = ParseTimeLimit(Obj(o, "time_limit")); tl) d.time_limit = *tl;
  d.channel = ParseChannel(Str(o, "channel")).value_or(Channel::kOnline);
  d.applicant = ApplicantFrom(Obj(o, "applicant"));
  d.assisted_by = Str(o, "assisted_by");
  d.receiving_unit = Str(o, "receiving_unit");
  d.competent_unit = Str(o, "competent_unit");
  d.current_unit = Str(o, "current_unit");
  d.schedule = Str(o, "schedule");
  auto state = ParseState(Str(o, "state"));
  if (!state) return Fail(ErrorCode::kDataLoss, "dossier.bad_document", "bad state");
  d.state = *state;
  d.resume_state = ParseState(Str(o, "resume_state")).value_or(DossierState::kSubmitted);
  d.submitted_at = Ts(o, "submitted_at");
  d.received_at = OptTs(o, "received_at");
  d.clock_start = OptTs(o, "clock_start");
  d.due_at = OptTs(o, "due_at");
  d.original_due_at = OptTs(o, "original_due_at");
  d.finished_at = OptTs(o, "finished_at");
  d.returned_at = OptTs(o, "returned_at");
  d.budget_minutes = Int(o, "budget_minutes");
  d.appointment_rule = Str(o, "appointment_rule");
  for (const auto& c : Arr(o, "components")) {
    if (c.is_object()) d.components.push_back(ComponentFrom(c.get_object()));
  }
  for (const auto& f : Arr(o, "fees")) {
    if (f.is_object()) {
      d.fees.push_back(FeeRecord{Str(f.get_object(), "code"), Str(f.get_object(), "kind"),
                                 Int(f.get_object(), "amount")});
    }
  }
  for (const auto& s : Arr(o, "steps")) {
    if (s.is_object()) d.steps.push_back(StepFrom(s.get_object()));
  }
  d.current_step = static_cast<int>(json::OptInt(o, "current_step").value_or(-1));
  for (const auto& sv : Arr(o, "supplements")) {
    if (!sv.is_object()) continue;
    const auto& s = sv.get_object();
    d.supplements.push_back(SupplementRecord{
        static_cast<int>(Int(s, "round")), Ts(s, "requested_at"), Str(s, "requested_by"),
        Str(s, "reason"), Strings(Arr(s, "items")), Bool(s, "before_receipt"),
        OptTs(s, "provided_at"), Int(s, "paused_minutes")});
  }
  for (const auto& cv : Arr(o, "consultations")) {
    if (!cv.is_object()) continue;
    const auto& c = cv.get_object();
    d.consultations.push_back(ConsultationRecord{Str(c, "unit"), Str(c, "question"),
                                                 Str(c, "answer"), Ts(c, "requested_at"),
                                                 OptTs(c, "answered_at")});
  }
  for (const auto& tv : Arr(o, "transfers")) {
    if (!tv.is_object()) continue;
    const auto& t = tv.get_object();
    d.transfers.push_back(TransferRecord{Str(t, "from_unit"), Str(t, "to_unit"),
                                         Bool(t, "competent"), Str(t, "reason"), Ts(t, "at")});
  }
  if (auto it = o.find("apology"); it != o.end() && it->value().is_object()) {
    const auto& a = it->value().get_object();
    d.apology = ApologyRecord{Ts(a, "at"), Str(a, "reason"), Ts(a, "old_due"), Ts(a, "new_due"),
                              Bool(a, "notice_in_time")};
  }
  d.outcome_reason = Str(o, "outcome_reason");
  d.return_channel = Str(o, "return_channel");
  d.result_name = Str(o, "result_name");
  d.result_doc_type = Str(o, "result_doc_type");
  d.result_valid_months = static_cast<int>(Int(o, "result_valid_months"));
  if (auto it = o.find("rating"); it != o.end() && it->value().is_object()) {
    const auto& r = it->value().get_object();
    auto value = ParseRating(Str(r, "value"));
    if (!value) return std::unexpected(value.error());
    d.rating = RatingRecord{*value, Str(r, "comment"), Ts(r, "at")};
  }
  if (auto it = o.find("result_document"); it != o.end() && it->value().is_object()) {
    const auto& r = it->value().get_object();
    const auto* f = r.if_contains("file");
    d.result_document = ResultDocument{Str(r, "id"), Str(r, "verify_code"),
                                       f && f->is_object() ? FileRefFrom(f->get_object()) : FileRef{},
                                       Ts(r, "issued_at")};
  }
  if (auto it = o.find("payment"); it != o.end() && it->value().is_object()) {
    auto pay = PaymentFrom(it->value().get_object());
    if (!pay) return std::unexpected(pay.error());
    d.payment = std::move(*pay);
  }
  d.version = Int(o, "version");
  return d;
}

// ---------------------------------------------------------------------------------------------
// Fold.

Result<void> Apply(Dossier& d, const Event& e) {
  const bj::object& p = e.payload;
  if (e.type == "DossierSubmitted") {
    if (d.version != 0) return Fail(BadEvent(e, "submitted twice"));
    d.code = Str(p, "code");
    const bj::object& proc = Obj(p, "procedure");
    d.procedure_code = Str(proc, "code");
    d.procedure_name = Str(proc, "name");
    d.online_level = Str(proc, "online_level");
    auto tl = ParseTimeLimit(Obj(proc, "time_limit"));
    if (!tl) return Fail(BadEvent(e, "bad time_limit"));
    d.time_limit = *tl;
    auto ch = ParseChannel(Str(p, "channel"));
    if (!ch) return Fail(BadEvent(e, "bad channel"));
    d.channel = *ch;
    d.applicant = ApplicantFrom(Obj(p, "applicant"));
    d.assisted_by = Str(p, "assisted_by");
    d.receiving_unit = Str(p, "receiving_unit");
    d.competent_unit = Str(p, "competent_unit");
    d.current_unit = d.receiving_unit;
    d.schedule = Str(p, "schedule");
    d.submitted_at = e.at;
    for (const auto& c : Arr(p, "components")) {
      if (c.is_object()) d.components.push_back(ComponentFrom(c.get_object()));
    }
    for (const auto& f : Arr(p, "fees")) {
      if (f.is_object()) {
        d.fees.push_back(FeeRecord{Str(f.get_object(), "code"), Str(f.get_object(), "kind"),
                                   Int(f.get_object(), "amount")});
      }
    }
    d.result_name = Str(proc, "result_name");
    d.result_doc_type = Str(proc, "result_doc_type");
    d.result_valid_months = static_cast<int>(Int(proc, "result_valid_months"));
    d.state = DossierState::kSubmitted;
    // The fee lines and the payment terms as the submission fixed them (events before issue #7
    // carry only fees [{code, kind, amount}]: pay before return, nothing exempt).
    PaymentRecord& pay = d.payment;
    for (const auto& f : Arr(p, "fees")) {
      if (f.is_object()) pay.lines.push_back(FeeLineFrom(f.get_object()));
    }
    const bj::object& terms = Obj(p, "payment");
    pay.stage = terms.contains("stage") ? Str(terms, "stage") : "return";
    pay.reference = terms.contains("reference") ? Str(terms, "reference") : PaymentReference(d.code);
    pay.exemption = Str(terms, "exemption");
    for (const auto& l : pay.lines) pay.amount_due += l.amount;
    pay.state = pay.amount_due > 0      ? PaymentState::kDue
                : !pay.exemption.empty() ? PaymentState::kWaived
                                         : PaymentState::kNotRequired;
  } else if (d.version == 0) {
    return Fail(BadEvent(e, "stream does not start with DossierSubmitted"));
  } else if (e.type == "DossierReceived") {
    d.received_at = e.at;
    d.clock_start = OptTs(p, "clock_start");
    d.due_at = OptTs(p, "due_at");
    d.original_due_at = d.due_at;
    d.budget_minutes = Int(p, "budget_minutes");
    d.appointment_rule = Str(p, "rule");
    d.steps.clear();
    for (const auto& s : Arr(p, "steps")) {
      if (s.is_object()) d.steps.push_back(StepFrom(s.get_object()));
    }
    for (const auto& code : Strings(Arr(p, "digitised"))) {
      for (auto& c : d.components) {
        if (c.code == code) c.digitised = true;
      }
    }
    d.current_step = d.steps.empty() ? -1 : 0;
    if (d.current_step == 0) {
      d.steps[0].started_at = d.clock_start;
      d.steps[0].due_at = OptTs(p, "step_due_at");
      d.current_unit = StepUnit(d, d.steps[0]);
    }
    d.state = DossierState::kReceived;
  } else if (e.type == "DossierRefused") {
    d.outcome_reason = Str(p, "reason");
    d.finished_at = e.at;
    d.state = DossierState::kRefused;
    if (d.payment.Due()) d.payment.state = PaymentState::kNotRequired;  // nothing to pay now
  } else if (e.type == "StepCompleted") {
    const int i = static_cast<int>(Int(p, "step"));
    if (i < 0 || i >= static_cast<int>(d.steps.size())) return Fail(BadEvent(e, "bad step"));
    StepRecord& s = d.steps[i];
    s.completed_at = e.at;
    s.completed_by = e.actor;
    s.unit = e.unit;
    s.late_minutes = Int(p, "late_minutes");
    if (auto next = json::OptInt(p, "next_step")) {
      d.current_step = static_cast<int>(*next);
      if (d.current_step <= 0 || d.current_step >= static_cast<int>(d.steps.size())) {
        return Fail(BadEvent(e, "bad next step"));
      }
      StepRecord& n = d.steps[d.current_step];
      n.started_at = e.at;
      n.due_at = OptTs(p, "next_step_due_at");
      d.current_unit = StepUnit(d, n);
      d.state = DossierState::kInProcessing;
    } else {
      d.current_step = -1;
      d.current_unit = d.receiving_unit;  // the result goes back to the one-stop section
    }
  } else if (e.type == "DossierProcessed") {
    d.finished_at = e.at;
    d.state = DossierState::kResultReady;
  } else if (e.type == "DossierTransferred") {
    TransferRecord t{Str(p, "from_unit"), Str(p, "to_unit"), Bool(p, "competent"), Str(p, "reason"),
                     e.at};
    d.current_unit = t.to_unit;
    if (t.competent) d.competent_unit = t.to_unit;
    d.transfers.push_back(std::move(t));
  } else if (e.type == "ConsultationRequested") {
    d.consultations.push_back(
        ConsultationRecord{Str(p, "unit"), Str(p, "question"), "", e.at, std::nullopt});
  } else if (e.type == "ConsultationAnswered") {
    const int i = static_cast<int>(Int(p, "index"));
    if (i < 0 || i >= static_cast<int>(d.consultations.size())) {
      return Fail(BadEvent(e, "bad consultation index"));
    }
    d.consultations[i].answer = Str(p, "answer");
    d.consultations[i].answered_at = e.at;
  } else if (e.type == "SupplementRequested") {
    SupplementRecord s;
    s.round = static_cast<int>(Int(p, "round"));
    s.requested_at = e.at;
    s.requested_by = e.actor;
    s.reason = Str(p, "reason");
    s.items = Strings(Arr(p, "items"));
    s.before_receipt = Bool(p, "before_receipt");
    d.supplements.push_back(std::move(s));
    d.resume_state = d.state;
    d.state = DossierState::kSupplementRequested;
  } else if (e.type == "SupplementProvided") {
    if (d.supplements.empty()) return Fail(BadEvent(e, "no open supplement"));
    SupplementRecord& s = d.supplements.back();
    s.provided_at = e.at;
    s.paused_minutes = Int(p, "paused_minutes");
    for (const auto& cv : Arr(p, "components")) {
      if (!cv.is_object()) continue;
      ComponentRecord c = ComponentFrom(cv.get_object());
      auto it = std::find_if(d.components.begin(), d.components.end(),
                             [&](const ComponentRecord& x) { return x.code == c.code; });
      if (it != d.components.end()) {
        it->provided = true;
        if (!c.reused_from.empty()) it->reused_from = c.reused_from;
        if (c.digitised) it->digitised = true;
        if (!c.files.empty()) it->files = c.files;
      }
    }
    if (auto due = OptTs(p, "due_at")) d.due_at = due;
    if (auto step_due = OptTs(p, "step_due_at"); step_due && d.current_step >= 0) {
      d.steps[d.current_step].due_at = step_due;
    }
    d.state = d.resume_state;
  } else if (e.type == "ApologyIssued") {
    d.apology = ApologyRecord{e.at, Str(p, "reason"), Ts(p, "old_due"), Ts(p, "new_due"),
                              Bool(p, "notice_in_time")};
    d.due_at = d.apology->new_due;
  } else if (e.type == "DossierRated") {
    auto value = ParseRating(Str(p, "rating"));
    if (!value) return Fail(BadEvent(e, "rating"));
    d.rating = RatingRecord{*value, Str(p, "comment"), e.at};
  } else if (e.type == "ResultIssued") {
    const auto* f = p.if_contains("file");
    if (f == nullptr || !f->is_object() || Str(p, "document").empty()) {
      return Fail(BadEvent(e, "file"));
    }
    d.result_document =
        ResultDocument{Str(p, "document"), Str(p, "verify_code"), FileRefFrom(f->get_object()), e.at};
  } else if (e.type == "DossierReturned") {
    d.returned_at = e.at;
    d.return_channel = Str(p, "return_channel");
    d.state = DossierState::kReturned;
  } else if (e.type == "DossierWithdrawn") {
    d.outcome_reason = Str(p, "reason");
    if (!d.finished_at) d.finished_at = e.at;
    d.state = DossierState::kWithdrawn;
    if (d.payment.Due()) d.payment.state = PaymentState::kNotRequired;  // nothing to pay now
  } else if (e.type == "DossierCancelled") {
    d.outcome_reason = Str(p, "reason");
    if (!d.finished_at) d.finished_at = e.at;
    d.state = DossierState::kCancelled;
    if (d.payment.Due()) d.payment.state = PaymentState::kNotRequired;  // nothing to pay now
  } else if (e.type == "PaymentSucceeded") {
    PaymentEntry entry{Str(p, "channel"),       Bool(p, "online"), Str(p, "platform"),
                       Str(p, "provider"),      Str(p, "transaction_no"), Int(p, "amount"),
                       Timestamp{Int(p, "paid_at")}, Str(Obj(p, "receipt"), "serial")};
    d.payment.transactions.push_back(TransactionKey(entry.provider, entry.transaction_no));
    d.payment.payments.push_back(std::move(entry));
    d.payment.state = PaymentState::kPaid;
  } else if (e.type == "PaymentRejected") {
    d.payment.transactions.push_back(TransactionKey(Str(p, "provider"), Str(p, "transaction_no")));
  } else if (e.type == "PaymentFailed") {
    d.payment.transactions.push_back(TransactionKey(Str(p, "provider"), Str(p, "transaction_no")));
    ++d.payment.failed_attempts;
  } else if (e.type == "FeesWaived") {
    d.payment.exemption = Str(p, "exemption");
    d.payment.amount_due = 0;
    for (auto& l : d.payment.lines) l.amount = 0;
    d.payment.state = PaymentState::kWaived;
  } else if (e.type == "PaymentRefunded") {
    d.payment.refunded += Int(p, "amount");
    d.payment.state = PaymentState::kRefunded;
  } else {
    return Fail(BadEvent(e, "unknown dossier event " + e.type));
  }
  ++d.version;
  return {};
}

Result<Dossier> Replay(const std::vector<Event>& events) {
  Dossier d;
  for (const Event& e : events) {
    if (auto r = Apply(d, e); !r) return std::unexpected(r.error());
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Commands.

Result<std::vector<NewEvent>> Submit(const SubmitInput& in, const Context& ctx) {
  if (in.procedure == nullptr) return Fail(ErrorCode::kNotFound, "procedure.not_found");
  const Procedure& proc = *in.procedure;
  if ((in.channel == Channel::kOnline || in.channel == Channel::kAssisted) &&
      proc.online_level == OnlineLevel::kNone) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.online_not_offered", proc.code);
  }
  if (in.channel == Channel::kAssisted && in.assisted_by.empty()) {
    return Fail(json::BadField("assisted_by", "required for the assisted channel"));
  }
  auto id = ValidateIdNumber(in.applicant.id_kind, in.applicant.id_number);
  if (!id) return std::unexpected(id.error());
  if (in.applicant.name.empty() || in.applicant.name.size() > 200) {
    return Fail(json::BadField("applicant.name", "required, at most 200 bytes"));
  }
  if (in.applicant.kind != "person" && in.applicant.kind != "organisation") {
    return Fail(json::BadField("applicant.kind", "person or organisation"));
  }
  // Components: every provided code must exist; every required one must be provided
  // (the technical completeness check of Decree 45/2020 Art. 11(1)).
  bj::array comps;
  for (const auto& c : in.components) {
    if (!proc.FindComponent(c.code)) {
      Error e{ErrorCode::kInvalidArgument, "dossier.unknown_component", c.code, {}};
      e.With("component", c.code);
      return std::unexpected(e);
    }
  }
  for (const Component& pc : proc.components) {
    auto it = std::find_if(in.components.begin(), in.components.end(),
                           [&](const ComponentRecord& c) { return c.code == pc.code; });
    if (pc.required && it == in.components.end()) {
      Error e{ErrorCode::kInvalidArgument, "dossier.missing_component", pc.code, {}};
      e.With("component", pc.code);
      return std::unexpected(e);
    }
    ComponentRecord rec{pc.code,
                        pc.name,
                        it != in.components.end(),
                        false,
                        it != in.components.end() ? it->reused_from : "",
                        it != in.components.end() ? it->files : std::vector<FileRef>{},
                        pc.doc_type};
    comps.push_back(ComponentJson(rec));
  }
  const bool online = in.channel == Channel::kOnline || in.channel == Channel::kAssisted;
  auto quote = QuoteFees(proc, online,
                         FeeCase{in.fee_conditions, in.fee_quantities, in.exemption});
  if (!quote) return std::unexpected(quote.error());
  bj::array fees;
  for (const FeeLine& l : quote->lines) fees.push_back(FeeLineJson(l));
  Applicant applicant = in.applicant;
  applicant.id_number = *id;
  bj::object payload{{"code", in.code},
                     {"procedure", bj::object{{"code", proc.code},
                                              {"name", proc.name},
                                              {"online_level", OnlineLevelName(proc.online_level)},
                                              {"time_limit", LimitJson(proc.time_limit)},
                                              {"result_name", proc.result_name},
                                              {"result_is_paper", proc.result_is_paper},
                                              {"result_doc_type", proc.result_doc_type},
                                              {"result_valid_months", proc.result_valid_months}}},
                     {"channel", ChannelName(in.channel)},
                     {"channel_code", NationalChannelCode(in.channel)},
                     {"applicant", ApplicantJson(applicant)},
                     {"identity_verified", applicant.identity_verified},
                     {"assisted_by", in.assisted_by},
                     {"receiving_unit", in.receiving_unit},
                     {"competent_unit", in.competent_unit},
                     {"schedule", in.schedule},
                     {"components", std::move(comps)},
                     {"fees", std::move(fees)},
                     {"payment", bj::object{{"stage", proc.pay_before},
                                            {"amount_due", quote->total},
                                            {"before_exemption", quote->before_exemption},
                                            {"reference", PaymentReference(in.code)},
                                            {"exemption", quote->exemption}}}};
  return std::vector<NewEvent>{
      MakeEvent(in.code, "DossierSubmitted", ctx, std::move(payload), in.receiving_unit)};
}

Result<std::vector<NewEvent>> Receive(const Dossier& d, const std::vector<std::string>& digitised,
                                      const Procedure& p, const Context& ctx) {
  if (d.state != DossierState::kSubmitted) return Fail(IllegalTransition(d, "receive"));
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (!HasRole(ctx, "one_stop_officer")) {
    return Fail(ErrorCode::kPermissionDenied, "dossier.wrong_role", "one_stop_officer");
  }
  if (d.payment.stage == "receipt") {
    if (auto r = RequirePaid(d); !r) return std::unexpected(r.error());
  }
  for (const auto& code : digitised) {
    if (!p.FindComponent(code)) {
      Error e{ErrorCode::kInvalidArgument, "dossier.unknown_component", code, {}};
      e.With("component", code);
      return std::unexpected(e);
    }
  }
  auto appt = ctx.calendar->ComputeDue(ctx.now, d.time_limit, *ctx.schedule);
  if (!appt) return std::unexpected(appt.error());
  // Per-step budgets: shares of the total, never zero (an OpenCPS failure: per-step deadlines
  // stuck at zero for same-day procedures).
  bj::array steps;
  int64_t assigned = 0;
  std::vector<int64_t> budgets;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    int64_t b = appt->budget_minutes * p.steps[i].share / 100;
    if (i + 1 == p.steps.size()) b = appt->budget_minutes - assigned;
    b = std::max<int64_t>(b, 1);
    assigned += b;
    budgets.push_back(b);
  }
  for (size_t i = 0; i < p.steps.size(); ++i) {
    StepRecord s;
    s.code = p.steps[i].code;
    s.name = p.steps[i].name;
    s.role = p.steps[i].role;
    s.unit_kind = p.steps[i].unit;
    s.budget_minutes = budgets[i];
    steps.push_back(StepJson(s));
  }
  bj::array skipped;
  for (const auto& sd : appt->skipped) {
    skipped.push_back(
        bj::object{{"date", FormatIsoDate(sd.date)}, {"kind", sd.kind}, {"name", sd.name_vi}});
  }
  const Timestamp step_due = ctx.calendar->AddWorkingMinutes(
      appt->clock_start, budgets.empty() ? 0 : budgets[0], *ctx.schedule);
  bj::object payload{{"clock_start", appt->clock_start.us},
                     {"due_at", appt->due.us},
                     {"time_limit", LimitJson(d.time_limit)},
                     {"budget_minutes", appt->budget_minutes},
                     {"schedule", d.schedule},
                     {"rule", appt->rule},
                     {"skipped_days", std::move(skipped)},
                     {"steps", std::move(steps)},
                     {"step_due_at", step_due.us},
                     {"digitised", Strings(digitised)},
                     {"receiving_unit", d.receiving_unit},
                     {"competent_unit", d.competent_unit}};
  return std::vector<NewEvent>{MakeEvent(d.code, "DossierReceived", ctx, std::move(payload), "")};
}

Result<std::vector<NewEvent>> Refuse(const Dossier& d, const std::string& reason,
                                     const Context& ctx) {
  if (d.state != DossierState::kSubmitted) return Fail(IllegalTransition(d, "refuse"));
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{MakeEvent(d.code, "DossierRefused", ctx,
                                         bj::object{{"reason", reason}, {"stage", "receipt"}}, "")};
}

Result<std::vector<NewEvent>> CompleteStep(const Dossier& d, const std::string& note,
                                           const Context& ctx) {
  if (d.state != DossierState::kReceived && d.state != DossierState::kInProcessing) {
    return Fail(IllegalTransition(d, "complete_step"));
  }
  if (d.current_step < 0 || d.current_step >= static_cast<int>(d.steps.size())) {
    return Fail(IllegalTransition(d, "complete_step"));
  }
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  const StepRecord& s = d.steps[d.current_step];
  if (!HasRole(ctx, s.role)) {
    Error e{ErrorCode::kPermissionDenied, "dossier.wrong_role", s.role, {}};
    e.With("role", s.role);
    return std::unexpected(e);
  }
  const int64_t late =
      s.due_at ? ctx.calendar->WorkingMinutesBetween(*s.due_at, ctx.now, *ctx.schedule) : 0;
  bj::object payload{{"step", d.current_step},
                     {"code", s.code},
                     {"step_due_at", Opt(s.due_at)},
                     {"late_minutes", late},
                     {"note", note}};
  std::vector<NewEvent> out;
  const bool last = d.current_step + 1 == static_cast<int>(d.steps.size());
  if (!last) {
    const StepRecord& n = d.steps[d.current_step + 1];
    payload["next_step"] = d.current_step + 1;
    payload["next_step_due_at"] =
        ctx.calendar->AddWorkingMinutes(ctx.now, n.budget_minutes, *ctx.schedule).us;
    payload["next_unit"] = StepUnit(d, n);
  }
  out.push_back(MakeEvent(d.code, "StepCompleted", ctx, std::move(payload), ""));
  if (last) {
    const bool on_time = !d.due_at || ctx.now <= *d.due_at;
    const int64_t late_total =
        d.due_at ? ctx.calendar->WorkingMinutesBetween(*d.due_at, ctx.now, *ctx.schedule) : 0;
    out.push_back(MakeEvent(
        d.code, "DossierProcessed", ctx,
        bj::object{{"due_at", Opt(d.due_at)},
                   {"on_time", on_time},
                   {"late_minutes", late_total},
                   {"supplement_rounds", d.SupplementRounds(false)},
                   {"result", bj::object{{"name", d.result_name}, {"electronic", false}}}},
        ""));
  }
  return out;
}

Result<std::vector<NewEvent>> Transfer(const Dossier& d, const std::string& to_unit, bool competent,
                                       const std::string& reason, const Context& ctx) {
  // Any open dossier can move to another unit: inter-connected processing, or the unit that
  // continues the work of a dissolved one (before receipt, during processing, or to return).
  if (IsClosed(d.state)) return Fail(IllegalTransition(d, "transfer"));
  if (ctx.actor != "system") {
    if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  }
  if (to_unit.empty() || to_unit == d.current_unit) {
    return Fail(json::BadField("to_unit", "must name another unit"));
  }
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{MakeEvent(d.code, "DossierTransferred", ctx,
                                         bj::object{{"from_unit", d.current_unit},
                                                    {"to_unit", to_unit},
                                                    {"competent", competent},
                                                    {"reason", reason}},
                                         ctx.actor == "system" ? d.current_unit : "")};
}

Result<std::vector<NewEvent>> RequestConsultation(const Dossier& d, const std::string& unit,
                                                  const std::string& question, const Context& ctx) {
  if (d.state != DossierState::kReceived && d.state != DossierState::kInProcessing) {
    return Fail(IllegalTransition(d, "request_consultation"));
  }
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (unit.empty() || unit == ctx.actor_unit) return Fail(json::BadField("unit", "another unit"));
  if (auto r = RequireReason(question); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{MakeEvent(d.code, "ConsultationRequested", ctx,
                                         bj::object{{"unit", unit}, {"question", question}}, "")};
}

Result<std::vector<NewEvent>> AnswerConsultation(const Dossier& d, const std::string& answer,
                                                 const Context& ctx) {
  if (IsClosed(d.state)) return Fail(IllegalTransition(d, "answer_consultation"));
  for (size_t i = 0; i < d.consultations.size(); ++i) {
    const auto& c = d.consultations[i];
    if (c.unit == ctx.actor_unit && !c.answered_at) {
      if (auto r = RequireReason(answer); !r) return std::unexpected(r.error());
      return std::vector<NewEvent>{
          MakeEvent(d.code, "ConsultationAnswered", ctx,
                    bj::object{{"index", static_cast<int64_t>(i)}, {"answer", answer}}, "")};
    }
  }
  return Fail(ErrorCode::kFailedPrecondition, "dossier.no_open_consultation", ctx.actor_unit);
}

Result<std::vector<NewEvent>> RequestSupplement(const Dossier& d, const std::string& reason,
                                                const std::vector<std::string>& items,
                                                const Context& ctx) {
  const bool before_receipt = d.state == DossierState::kSubmitted;
  if (!before_receipt && d.state != DossierState::kReceived &&
      d.state != DossierState::kInProcessing) {
    return Fail(IllegalTransition(d, "request_supplement"));
  }
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  // The applicant is guided once, in writing and fully, before receipt (Decree 61/2018 Art. 19).
  if (before_receipt && d.SupplementRounds(true) > 0) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.supplement_already_requested");
  }
  int64_t remaining = 0;
  if (!before_receipt && d.due_at) {
    remaining = ctx.calendar->WorkingMinutesBetween(ctx.now, *d.due_at, *ctx.schedule);
  }
  bj::object payload{{"round", static_cast<int64_t>(d.supplements.size() + 1)},
                     {"reason", reason},
                     {"items", Strings(items)},
                     {"before_receipt", before_receipt},
                     {"clock", before_receipt ? "not_started" : "paused"},
                     {"waiting_on", "applicant"},
                     {"due_at", Opt(d.due_at)},
                     {"remaining_minutes", remaining}};
  return std::vector<NewEvent>{
      MakeEvent(d.code, "SupplementRequested", ctx, std::move(payload), "")};
}

Result<std::vector<NewEvent>> ProvideSupplement(const Dossier& d,
                                                const std::vector<ComponentRecord>& components,
                                                const Context& ctx) {
  if (d.state != DossierState::kSupplementRequested || d.supplements.empty()) {
    return Fail(IllegalTransition(d, "provide_supplement"));
  }
  // The applicant answers online, or an officer of the holding unit records it at the counter.
  if (!IsApplicant(d, ctx)) {
    if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  }
  bj::array comps;
  for (const auto& c : components) {
    auto it = std::find_if(d.components.begin(), d.components.end(),
                           [&](const ComponentRecord& x) { return x.code == c.code; });
    if (it == d.components.end()) {
      Error e{ErrorCode::kInvalidArgument, "dossier.unknown_component", c.code, {}};
      e.With("component", c.code);
      return std::unexpected(e);
    }
    ComponentRecord rec = *it;
    rec.provided = true;
    rec.reused_from = c.reused_from;
    rec.digitised = c.digitised;
    // The new files join those of earlier rounds: the record keeps what was filed.
    rec.files.insert(rec.files.end(), c.files.begin(), c.files.end());
    comps.push_back(ComponentJson(rec));
  }
  const SupplementRecord& open = d.supplements.back();
  bj::object payload{{"round", open.round},
                     {"components", std::move(comps)},
                     {"paused_from", open.requested_at.us}};
  if (open.before_receipt || !d.due_at) {
    payload["paused_minutes"] = 0;
  } else {
    // Time waiting on the applicant does not count: the due date moves by exactly the working
    // time the clock stood still.
    const int64_t paused =
        ctx.calendar->WorkingMinutesBetween(open.requested_at, ctx.now, *ctx.schedule);
    payload["paused_minutes"] = paused;
    payload["due_at_before"] = d.due_at->us;
    payload["due_at"] = ctx.calendar->AddWorkingMinutes(*d.due_at, paused, *ctx.schedule).us;
    if (d.current_step >= 0 && d.steps[d.current_step].due_at) {
      payload["step_due_at"] =
          ctx.calendar->AddWorkingMinutes(*d.steps[d.current_step].due_at, paused, *ctx.schedule)
              .us;
    }
  }
  return std::vector<NewEvent>{MakeEvent(d.code, "SupplementProvided", ctx, std::move(payload),
                                         IsApplicant(d, ctx) ? d.current_unit : "")};
}

Result<std::vector<NewEvent>> IssueApology(const Dossier& d, Timestamp new_due,
                                           const std::string& reason, const Context& ctx) {
  if (d.state != DossierState::kReceived && d.state != DossierState::kInProcessing) {
    return Fail(IllegalTransition(d, "issue_apology"));
  }
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  // The return date may be re-set only once (Decree 61/2018 Art. 19(3)(d), carried forward).
  if (d.apology) return Fail(ErrorCode::kFailedPrecondition, "dossier.apology_already_issued");
  if (!d.due_at || new_due <= *d.due_at) {
    return Fail(ErrorCode::kInvalidArgument, "dossier.bad_new_due",
                "must be after the current due");
  }
  // Notice is due at the latest one working day before the deadline.
  const int64_t before = ctx.calendar->WorkingMinutesBetween(ctx.now, *d.due_at, *ctx.schedule);
  // One working day in this schedule, as the calendar counts it.
  auto one_day =
      ctx.calendar->ComputeDue(ctx.now, TimeLimit{LimitUnit::kWorkingDays, 1}, *ctx.schedule);
  if (!one_day) return std::unexpected(one_day.error());
  const int64_t day = one_day->budget_minutes;
  bj::object payload{{"reason", reason},
                     {"old_due", d.due_at->us},
                     {"new_due", new_due.us},
                     {"working_minutes_before_due", before},
                     {"notice_in_time", ctx.now < *d.due_at && before >= day}};
  return std::vector<NewEvent>{MakeEvent(d.code, "ApologyIssued", ctx, std::move(payload), "")};
}

Result<std::vector<NewEvent>> Return(const Dossier& d, const std::string& return_channel,
                                     const Context& ctx) {
  if (d.state != DossierState::kResultReady) return Fail(IllegalTransition(d, "return"));
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (auto r = RequirePaid(d); !r) return std::unexpected(r.error());
  if (return_channel != "counter" && return_channel != "post" && return_channel != "online") {
    return Fail(json::BadField("return_channel", "counter, post or online"));
  }
  return std::vector<NewEvent>{MakeEvent(d.code, "DossierReturned", ctx,
                                         bj::object{{"return_channel", return_channel}}, "")};
}

Result<std::vector<NewEvent>> Rate(const Dossier& d, Rating rating, const std::string& comment,
                                   const Context& ctx) {
  if (d.state != DossierState::kReturned) return Fail(IllegalTransition(d, "rate"));
  if (!IsApplicant(d, ctx)) {
    return Fail(ErrorCode::kPermissionDenied, "dossier.not_applicant", d.code);
  }
  if (d.rating) return Fail(ErrorCode::kFailedPrecondition, "dossier.already_rated", d.code);
  return std::vector<NewEvent>{MakeEvent(
      d.code, "DossierRated", ctx,
      bj::object{{"rating", RatingName(rating)}, {"comment", comment}}, "")};
}

Result<std::vector<NewEvent>> Withdraw(const Dossier& d, const std::string& reason,
                                       const Context& ctx) {
  if (IsClosed(d.state) || d.state == DossierState::kResultReady) {
    return Fail(IllegalTransition(d, "withdraw"));
  }
  // Only the applicant withdraws (in person at the counter the officer records it for them).
  if (!IsApplicant(d, ctx)) {
    if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  }
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{MakeEvent(d.code, "DossierWithdrawn", ctx,
                                         bj::object{{"reason", reason}, {"by", "applicant"}},
                                         d.current_unit)};
}

Result<std::vector<NewEvent>> Cancel(const Dossier& d, const std::string& reason,
                                     const Context& ctx) {
  // Stopping (dừng xử lý) concerns a received dossier; before receipt the answer is a refusal.
  if ((d.state != DossierState::kReceived && d.state != DossierState::kInProcessing &&
       d.state != DossierState::kSupplementRequested) ||
      !d.received_at) {
    return Fail(IllegalTransition(d, "cancel"));
  }
  if (auto r = RequireHolder(d, ctx); !r) return std::unexpected(r.error());
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{
      MakeEvent(d.code, "DossierCancelled", ctx, bj::object{{"reason", reason}}, "")};
}

// ---------------------------------------------------------------------------------------------
// Payments.

Result<PaymentDecision> RecordPayment(const Dossier& d, const PaymentInput& in, const Context& ctx) {
  if (in.transaction_no.empty() || in.transaction_no.size() > 100 || in.provider.empty() ||
      in.amount <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "dossier.bad_payment",
                "transaction number, provider and a positive amount are required");
  }
  PaymentDecision out;
  if (d.payment.Seen(in.provider, in.transaction_no)) {
    out.outcome = "duplicate";
    return out;
  }
  bj::object base{{"reference", d.payment.reference}, {"amount", in.amount},
                  {"channel", in.channel},             {"provider", in.provider},
                  {"transaction_no", in.transaction_no}, {"bank_code", in.bank_code},
                  {"bank_tran_no", in.bank_tran_no},   {"paid_at", in.paid_at.us}};
  // Money arrived that is not accepted: recorded as rejected, to be refunded; the dossier's
  // payment state stays as it was.
  auto reject = [&](std::string reason) {
    bj::object payload = base;
    payload["expected"] = d.payment.Due() ? d.payment.amount_due : 0;
    payload["reason"] = reason;
    out.outcome = reason;
    out.events.push_back(MakeEvent(d.code, "PaymentRejected", ctx, std::move(payload), ""));
    return out;
  };
  if (!d.payment.Due()) return reject("not_due");
  if (in.amount != d.payment.amount_due) return reject("amount_mismatch");
  bj::object payload = base;
  payload["online"] = in.online;
  payload["platform"] = in.platform;
  payload["receipt"] = bj::object{{"serial", in.receipt_serial}};
  out.outcome = "recorded";
  out.events.push_back(MakeEvent(d.code, "PaymentSucceeded", ctx, std::move(payload), ""));
  return out;
}

Result<std::vector<NewEvent>> RecordFailedPayment(const Dossier& d, const std::string& provider,
                                                  const std::string& transaction_no,
                                                  const std::string& response_code,
                                                  const Context& ctx) {
  if (transaction_no.empty() || transaction_no.size() > 100 || provider.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "dossier.bad_payment", "transaction number");
  }
  if (d.payment.Seen(provider, transaction_no)) return std::vector<NewEvent>{};
  return std::vector<NewEvent>{MakeEvent(
      d.code, "PaymentFailed", ctx,
      bj::object{{"reference", d.payment.reference},
                 {"provider", provider},
                 {"transaction_no", transaction_no},
                 {"response_code", response_code}},
      "")};
}

Result<std::vector<NewEvent>> WaiveFees(const Dossier& d, const Procedure& p,
                                        const std::string& exemption, const std::string& reason,
                                        const Context& ctx) {
  if (IsClosed(d.state) || !d.payment.Due()) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.payment_not_due", d.code);
  }
  if (std::find(p.exemptions.begin(), p.exemptions.end(), exemption) == p.exemptions.end()) {
    Error e{ErrorCode::kInvalidArgument, "fee.unknown_exemption", p.code + ": " + exemption, {}};
    e.With("exemption", exemption);
    return std::unexpected(e);
  }
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  return std::vector<NewEvent>{MakeEvent(d.code, "FeesWaived", ctx,
                                         bj::object{{"exemption", exemption},
                                                    {"reason", reason},
                                                    {"amount", d.payment.amount_due}},
                                         "")};
}

Result<std::vector<NewEvent>> RefundPayment(const Dossier& d, const std::string& reason,
                                            const Context& ctx) {
  if (d.payment.state != PaymentState::kPaid || d.payment.payments.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "dossier.not_paid", d.code);
  }
  if (auto r = RequireReason(reason); !r) return std::unexpected(r.error());
  const PaymentEntry& paid = d.payment.payments.back();
  return std::vector<NewEvent>{MakeEvent(d.code, "PaymentRefunded", ctx,
                                         bj::object{{"reference", d.payment.reference},
                                                    {"amount", paid.amount},
                                                    {"transaction_no", paid.transaction_no},
                                                    {"reason", reason}},
                                         "")};
}

OverdueInfo Overdue(const Dossier& d, Timestamp now, const WorkingCalendar& cal,
                    const WorkSchedule& schedule) {
  OverdueInfo info;
  if (!d.due_at) return info;
  Timestamp end = now;
  if (d.finished_at) {
    end = *d.finished_at;
  } else if (d.state == DossierState::kSupplementRequested && !d.supplements.empty() &&
             !d.supplements.back().before_receipt) {
    // The clock stands still while the applicant has the dossier.
    info.paused = true;
    end = d.supplements.back().requested_at;
  }
  if (end > *d.due_at) {
    info.overdue = true;
    info.minutes = std::max<int64_t>(cal.WorkingMinutesBetween(*d.due_at, end, schedule), 0);
  } else if (!d.finished_at) {
    info.remaining_minutes = cal.WorkingMinutesBetween(end, *d.due_at, schedule);
  }
  return info;
}

}  // namespace motcua::domain
