#include "http/routes.h"

#include <algorithm>
#include <boost/url.hpp>
#include <cctype>

#include "base/json.h"
#include "base/time.h"
#include "http/codec.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

Error BadQuery(std::string_view name, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "http.bad_query", std::move(why), {}};
  e.With("param", std::string(name));
  return e;
}

Result<int64_t> ParseCount(const std::string& s, std::string_view name, int64_t lo, int64_t hi) {
  if (s.empty() || s.size() > 9 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Fail(BadQuery(name, "not a number"));
  }
  const int64_t v = std::stoll(s);
  if (v < lo || v > hi) return Fail(BadQuery(name, "out of range"));
  return v;
}

namespace {

constexpr int kDefaultListLimit = 50;
constexpr int kMaxListLimit = 500;
constexpr int64_t kMaxListOffset = 1'000'000;

bool IsJsonMediaType(std::string_view ct) {
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  while (!ct.empty() && ct.front() == ' ') ct.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return ct.size() == kJson.size() &&
         std::equal(ct.begin(), ct.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Result<domain::Dossier> ParseDossierRow(const store::DossierRow& row) {
  auto doc = json::Parse(row.doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", row.code);
  return domain::Dossier::FromJson(doc->get_object());
}

}  // namespace

Response ErrorResponse(const Error& e, const MessageCatalog& messages, Lang lang,
                       std::string_view request_id) {
  ErrorReply r = RenderError(e, messages, lang, request_id);
  Response out;
  out.status = r.status;
  out.body = std::move(r.body);
  out.headers = std::move(r.headers);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Call.

Result<app::Actor> Call::Actor() {
  if (!resolved_) {
    auto id = auth_.Authenticate(raw_, meta_);
    if (!id) return std::unexpected(id.error());
    identity_ = std::move(*id);
    resolved_ = true;
  }
  if (identity_.stage == "totp_enrolment") {
    // Until the second factor is enrolled, the session may only do that (or sign out).
    static constexpr std::pair<beast_http::verb, std::string_view> kOpen[] = {
        {beast_http::verb::get, "/api/v1/session"},
        {beast_http::verb::delete_, "/api/v1/session"},
        {beast_http::verb::post, "/api/v1/me/totp"},
        {beast_http::verb::post, "/api/v1/me/totp/confirm"},
        {beast_http::verb::post, "/api/v1/me/password"},
    };
    const bool open = std::any_of(std::begin(kOpen), std::end(kOpen), [&](const auto& r) {
      return r.first == method_ && r.second == route_;
    });
    if (!open) return Fail(ErrorCode::kPermissionDenied, "auth.totp_enrolment_required");
  }
  return identity_.actor;
}

app::Actor Call::Anonymous() const {
  app::Actor a = app::Actor::Anonymous();
  a.address = meta_.remote_address;
  a.request_id = meta_.request_id;
  return a;
}

Result<void> Call::OnlyQuery(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : query_) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      return Fail(BadQuery(k.substr(0, 32), "unknown parameter"));
    }
  }
  return {};
}

Result<bj::object> Call::Body() const {
  if (raw_.body().empty()) return bj::object{};
  auto it = raw_.find(beast_http::field::content_type);
  if (it == raw_.end() ||
      !IsJsonMediaType(std::string_view(it->value().data(), it->value().size()))) {
    return Fail(ErrorCode::kInvalidArgument, "http.unsupported_media_type");
  }
  auto v = json::Parse(raw_.body());
  if (!v) return std::unexpected(v.error());
  if (!v->is_object()) return Fail(json::BadField("body", "not an object"));
  return std::move(v->get_object());
}

const std::string* Call::Query(const std::string& name) const {
  auto it = query_.find(name);
  return it == query_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------------
// Router.

void Router::Add(verb method, std::string_view pattern, Handler handler) {
  Route r{method, std::string(pattern), {}, std::move(handler)};
  // Patterns are literal ASCII paths written in code: split on '/', no decoding needed.
  pattern.remove_prefix(pattern.starts_with('/') ? 1 : 0);
  while (true) {
    const size_t slash = pattern.find('/');
    r.segments.emplace_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(verb method, const std::vector<std::string>& segments) const {
  Match m;
  const verb want = method == verb::head ? verb::get : method;
  for (const Route& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segments[i].empty()) ok = false;
        params[p.substr(1, p.size() - 2)] = segments[i];
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    m.allowed.push_back(r.method);
    if (r.method == verb::get) m.allowed.push_back(verb::head);
    if (r.method == want && !m.handler) {
      m.handler = &r.handler;
      m.pattern = r.pattern;
      m.params = std::move(params);
    }
  }
  return m;
}

std::string AllowHeader(const std::vector<verb>& methods) {
  std::vector<std::string> names;
  for (verb v : methods) names.emplace_back(beast_http::to_string(v));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Api.

Api::Api(app::Lifecycle& lifecycle, app::Accounts* accounts, const Authenticator& auth,
         const MessageCatalog& messages, ApiServices services)
    : lifecycle_(lifecycle),
      accounts_(accounts),
      auth_(auth),
      messages_(messages),
      services_(services) {
  AddRoutes();
  AddAccountRoutes();
  AddPortalRoutes();
  AddDocumentRoutes();
  AddPaymentRoutes();
  AddScanRoutes();
  AddHoldingRoutes();
}

std::vector<RouteInfo> Api::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : router_.routes_) out.push_back({r.method, r.pattern});
  return out;
}

void Api::AddRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::get, "/api/v1/health", bind(&Api::Health));
  router_.Add(verb::get, "/api/openapi.json", bind(&Api::OpenApi));
  router_.Add(verb::get, "/api/v1/procedures", bind(&Api::ListProcedures));
  router_.Add(verb::get, "/api/v1/procedures/{code}", bind(&Api::GetProcedure));
  router_.Add(verb::get, "/api/v1/units", bind(&Api::ListUnits));
  router_.Add(verb::post, "/api/v1/dossiers", bind(&Api::Submit));
  router_.Add(verb::get, "/api/v1/dossiers", bind(&Api::ListDossiers));
  router_.Add(verb::get, "/api/v1/dossiers/{code}", bind(&Api::GetDossier));

  app::Lifecycle& lc = lifecycle_;
  auto action = [this](std::string_view name, Action a) {
    router_.Add(verb::post, "/api/v1/dossiers/{code}/" + std::string(name),
                [this, a = std::move(a)](Call& c) { return Act(c, a); });
  };
  // Actions whose whole body is {"reason": text}: refuse, withdraw, cancel.
  using ReasonUseCase = Result<domain::Dossier> (app::Lifecycle::*)(
      const app::Actor&, const std::string&, const std::string&);
  auto reason_only = [&lc](ReasonUseCase use_case) {
    return [&lc, use_case](const app::Actor& actor, const std::string& code,
                           const bj::object& b) -> Result<domain::Dossier> {
      FieldReader r(b);
      if (auto o = r.Only({"reason"}); !o) return std::unexpected(o.error());
      auto reason = r.Required("reason", K::kText);
      if (!reason) return std::unexpected(reason.error());
      return (lc.*use_case)(actor, code, *reason);
    };
  };
  action("receive",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"digitised"}); !o) return std::unexpected(o.error());
           auto digitised = r.Strings("digitised", K::kCode);
           if (!digitised) return std::unexpected(digitised.error());
           return lc.Receive(actor, code, *digitised);
         });
  action("refuse", reason_only(&app::Lifecycle::Refuse));
  action("complete-step",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"note"}); !o) return std::unexpected(o.error());
           auto note = r.Optional("note", K::kText);
           if (!note) return std::unexpected(note.error());
           return lc.CompleteStep(actor, code, *note);
         });
  action("transfer",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"to_unit", "competent", "reason"}); !o)
             return std::unexpected(o.error());
           auto to_unit = r.Required("to_unit", K::kCode);
           if (!to_unit) return std::unexpected(to_unit.error());
           auto competent = r.Bool("competent", false);
           if (!competent) return std::unexpected(competent.error());
           auto reason = r.Required("reason", K::kText);
           if (!reason) return std::unexpected(reason.error());
           return lc.Transfer(actor, code, *to_unit, *competent, *reason);
         });
  action("consultations",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"unit", "question"}); !o) return std::unexpected(o.error());
           auto unit = r.Required("unit", K::kCode);
           if (!unit) return std::unexpected(unit.error());
           auto question = r.Required("question", K::kText);
           if (!question) return std::unexpected(question.error());
           return lc.RequestConsultation(actor, code, *unit, *question);
         });
  action("consultation-answer",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"answer"}); !o) return std::unexpected(o.error());
           auto answer = r.Required("answer", K::kText);
           if (!answer) return std::unexpected(answer.error());
           return lc.AnswerConsultation(actor, code, *answer);
         });
  action("supplement-request",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"reason", "items"}); !o) return std::unexpected(o.error());
           auto reason = r.Required("reason", K::kText);
           if (!reason) return std::unexpected(reason.error());
           auto items = r.Strings("items", K::kText);
           if (!items) return std::unexpected(items.error());
           return lc.RequestSupplement(actor, code, *reason, *items);
         });
  action("supplement",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"components"}); !o) return std::unexpected(o.error());
           auto components = DecodeComponents(r, "components");
           if (!components) return std::unexpected(components.error());
           return lc.ProvideSupplement(actor, code, *components);
         });
  action("apology",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"new_due", "reason"}); !o) return std::unexpected(o.error());
           auto new_due = r.Required("new_due", K::kCode);
           if (!new_due) return std::unexpected(new_due.error());
           auto due = ParseIsoDateTime(*new_due);
           if (!due) return std::unexpected(due.error());
           auto reason = r.Required("reason", K::kText);
           if (!reason) return std::unexpected(reason.error());
           return lc.IssueApology(actor, code, *due, *reason);
         });
  action("return",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"return_channel"}); !o) return std::unexpected(o.error());
           auto channel = r.Required("return_channel", K::kCode);
           if (!channel) return std::unexpected(channel.error());
           return lc.Return(actor, code, *channel);
         });
  action("withdraw", reason_only(&app::Lifecycle::Withdraw));
  action("rating",
         [&lc](const app::Actor& actor, const std::string& code,
               const bj::object& b) -> Result<domain::Dossier> {
           FieldReader r(b);
           if (auto o = r.Only({"rating", "comment"}); !o) return std::unexpected(o.error());
           auto value = r.Required("rating", K::kCode);
           if (!value) return std::unexpected(value.error());
           auto rating = domain::ParseRating(*value);
           if (!rating) return std::unexpected(rating.error());
           auto comment = r.Optional("comment", K::kText);
           if (!comment) return std::unexpected(comment.error());
           return lc.Rate(actor, code, *rating, *comment);
         });
  action("cancel", reason_only(&app::Lifecycle::Cancel));
}

Response Api::Handle(const Request& req, const RequestMeta& meta) const {
  const std::string_view request_id = meta.request_id;
  const auto lang_it = req.find(beast_http::field::accept_language);
  const Lang lang =
      lang_it == req.end()
          ? Lang::kVi
          : PreferredLanguage(std::string_view(lang_it->value().data(), lang_it->value().size()));
  auto fail = [&](const Error& e) { return ErrorResponse(e, messages_, lang, request_id); };

  const std::string_view target(req.target().data(), req.target().size());
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return fail(Error{ErrorCode::kInvalidArgument, "http.bad_request", "bad target", {}});
  std::vector<std::string> segments;
  for (auto seg : url->segments()) segments.push_back(seg);

  Router::Match m = router_.Find(req.method(), segments);
  if (!m.handler) {
    if (m.allowed.empty()) {
      return fail(Error{ErrorCode::kNotFound, "http.not_found", {}, {}});
    }
    Response r = fail(Error{ErrorCode::kInvalidArgument, "http.method_not_allowed", {}, {}});
    r.headers.emplace_back("Allow", AllowHeader(m.allowed));
    return r;
  }
  Call call(req, meta, auth_, req.method() == verb::head ? verb::get : req.method(), m.pattern);
  call.params_ = std::move(m.params);
  for (auto p : url->params()) {
    if (!call.query_.emplace(p.key, p.value).second) {
      return fail(BadQuery(p.key.substr(0, 32), "given twice"));
    }
  }
  auto reply = (*m.handler)(call);
  if (!reply) {
    Response r = fail(reply.error());
    r.route = m.pattern;
    return r;
  }
  Response out;
  out.route = m.pattern;
  out.status = reply->status;
  if (reply->raw) {
    out.body = std::move(*reply->raw);
    out.content_type = std::move(reply->raw_content_type);
  } else if (reply->file) {
    out.file = std::move(reply->file);
    out.content_type = std::move(reply->raw_content_type);
  } else if (reply->status != 204) {
    out.body = bj::serialize(reply->body);
  }  // 204 No Content has no body at all (Beast refuses to send one)
  out.headers = std::move(reply->headers);
  return out;
}

Reply Api::DossierReply(const domain::Dossier& d, unsigned status) const {
  const domain::WorkSchedule& schedule = lifecycle_.catalog().Schedule(d.schedule);
  bj::object o = EncodeDossier(d, lifecycle_.OverdueOf(d), schedule);
  // Whoever may read the dossier may print its receipt, which carries the lookup key.
  if (services_.lookup) o["lookup_key"] = services_.lookup->KeyFor(d.code);
  return Reply{status, std::move(o), {}, {}, {}};
}

Result<Reply> Api::Health(Call&) const {
  bj::object o{{"status", "ok"}, {"service", "motcua"}};
  PutTime(o, "time", lifecycle_.clock().Now());
  return Reply{200, std::move(o), {}};
}

Result<Reply> Api::ListProcedures(Call&) const {
  bj::array items;
  for (const domain::Procedure& p : lifecycle_.catalog().procedures().procedures()) {
    items.push_back(EncodeProcedureSummary(p));
  }
  const auto n = static_cast<int64_t>(items.size());
  return Reply{200, bj::object{{"items", std::move(items)}, {"count", n}}, {}};
}

Result<Reply> Api::GetProcedure(Call& c) const {
  const std::string& code = c.Param("code");
  const domain::Procedure* p = lifecycle_.catalog().procedures().Find(code);
  if (!p) {
    Error e{ErrorCode::kNotFound, "procedure.not_found", code.substr(0, 64), {}};
    return Fail(e);
  }
  return Reply{200, EncodeProcedure(*p), {}};
}

Result<Reply> Api::ListUnits(Call& c) const {
  CivilDate date = ToVietnamLocal(lifecycle_.clock().Now()).date;
  if (const std::string* d = c.Query("date")) {
    auto parsed = ParseIsoDate(*d);
    if (!parsed) return std::unexpected(parsed.error());
    date = *parsed;
  }
  bj::array items;
  for (const domain::Unit& u : lifecycle_.catalog().units().units()) {
    if (u.ValidOn(date)) items.push_back(EncodeUnit(u));
  }
  const auto n = static_cast<int64_t>(items.size());
  return Reply{200,
               bj::object{{"date", FormatIsoDate(date)}, {"items", std::move(items)}, {"count", n}},
               {}};
}

Result<Reply> Api::Submit(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  auto req = DecodeSubmit(*body);
  if (!req) return std::unexpected(req.error());
  auto d = lifecycle_.Submit(*actor, *req);
  if (!d) return std::unexpected(d.error());
  Reply r = DossierReply(*d, 201);
  r.headers.emplace_back("Location", "/api/v1/dossiers/" + d->code);
  return r;
}

Result<Reply> Api::ListDossiers(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"limit", "offset", "state", "overdue", "unit", "procedure", "channel",
                            "code", "applicant", "from", "to", "total", "queue"});
      !o) {
    return std::unexpected(o.error());
  }
  store::DossierQuery q;
  int64_t limit = kDefaultListLimit, offset = 0;
  if (const std::string* s = c.Query("limit")) {
    auto v = ParseCount(*s, "limit", 1, kMaxListLimit);
    if (!v) return std::unexpected(v.error());
    limit = *v;
  }
  if (const std::string* s = c.Query("offset")) {
    auto v = ParseCount(*s, "offset", 0, kMaxListOffset);
    if (!v) return std::unexpected(v.error());
    offset = *v;
  }
  q.limit = static_cast<int>(limit);
  q.offset = static_cast<int>(offset);
  if (const std::string* s = c.Query("state")) {
    auto st = domain::ParseState(*s);
    if (!st) return std::unexpected(st.error());
    q.state = std::string(domain::StateName(*st));
  }
  auto flag = [&](const char* name, bool& out) -> Result<void> {
    if (const std::string* s = c.Query(name)) {
      if (*s != "true" && *s != "false") return Fail(BadQuery(name, "true or false"));
      out = *s == "true";
    }
    return {};
  };
  bool overdue_only = false, with_total = false;
  if (auto r = flag("overdue", overdue_only); !r) return std::unexpected(r.error());
  if (auto r = flag("total", with_total); !r) return std::unexpected(r.error());
  // Codes and identifiers: checked like body fields (bounded, no control characters).
  auto code_param = [&](const char* name) -> Result<std::optional<std::string>> {
    const std::string* s = c.Query(name);
    if (!s) return std::optional<std::string>();
    if (auto ok = CheckString(*s, K::kCode, name); !ok || s->empty()) {
      return Fail(BadQuery(name, "1..64 characters"));
    }
    return std::optional<std::string>(*s);
  };
  for (auto [name, field] : {std::pair{"unit", &q.unit}, std::pair{"procedure", &q.procedure_code},
                             std::pair{"code", &q.code_prefix}}) {
    auto v = code_param(name);
    if (!v) return std::unexpected(v.error());
    *field = std::move(*v);
  }
  if (const std::string* s = c.Query("channel")) {
    auto ch = domain::ParseChannel(*s);
    if (!ch) return Fail(BadQuery("channel", "unknown channel"));
    q.channel = std::string(domain::ChannelName(*ch));
  }
  if (const std::string* s = c.Query("applicant")) {
    // The applicant's ID number, whichever kind: normalised like the stored key.
    std::string key;
    for (char ch : *s) {
      if (ch != ' ') key += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (key.empty() || key.size() > 20 || !std::all_of(key.begin(), key.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch));
        })) {
      return Fail(BadQuery("applicant", "an ID number"));
    }
    q.applicant_key = key;
  }
  // Dates are Vietnam calendar days, "from" inclusive and "to" inclusive.
  for (auto [name, is_to] : {std::pair{"from", false}, std::pair{"to", true}}) {
    if (const std::string* s = c.Query(name)) {
      auto d = ParseIsoDate(*s);
      if (!d) return Fail(BadQuery(name, "yyyy-mm-dd"));
      const CivilDate day = is_to ? CivilFromDays(DaysFromCivil(*d) + 1) : *d;
      (is_to ? q.submitted_to : q.submitted_from) = FromVietnamLocal(day, 0);
    }
  }
  const Timestamp now = lifecycle_.clock().Now();
  // Work queues of the officer workspace: new, due soon (within 2 working days), overdue,
  // awaiting the applicant's supplement.
  bool due_soon_only = false, nothing = false;
  if (const std::string* s = c.Query("queue")) {
    // A queue narrows like any other filter: with a different state, nothing matches.
    auto in_state = [&](domain::DossierState st) {
      const std::string name(domain::StateName(st));
      if (q.state && *q.state != name) nothing = true;
      q.state = name;
    };
    if (*s == "new") {
      in_state(domain::DossierState::kSubmitted);
    } else if (*s == "supplement") {
      in_state(domain::DossierState::kSupplementRequested);
    } else if (*s == "overdue") {
      overdue_only = true;
    } else if (*s == "due_soon") {
      due_soon_only = true;
      const domain::WorkingCalendar& cal = lifecycle_.catalog().calendar();
      const domain::WorkSchedule& standard = lifecycle_.catalog().Schedule("standard");
      auto day = cal.AddWorkingDays(ToVietnamLocal(now).date, 2, standard);
      if (!day) return std::unexpected(day.error());
      q.due_before = cal.EndOfWorkingDay(*day, standard);
    } else {
      return Fail(BadQuery("queue", "new, due_soon, overdue or supplement"));
    }
  }
  if (overdue_only) q.due_before = now;
  auto page = lifecycle_.List(*actor, q, with_total);
  if (!page) return std::unexpected(page.error());
  if (nothing) *page = {};
  bj::array items;
  for (const store::DossierRow& row : page->rows) {
    auto d = ParseDossierRow(row);
    if (!d) return std::unexpected(d.error());
    const domain::OverdueInfo info = lifecycle_.OverdueOf(*d);
    // due_before also finds dossiers whose clock is paused past the due: not overdue.
    if (overdue_only && !info.overdue) continue;
    if (due_soon_only && (info.overdue || info.paused)) continue;
    items.push_back(EncodeDossierSummary(*d, info, lifecycle_.catalog().Schedule(d->schedule)));
  }
  bj::object out{{"items", std::move(items)}, {"limit", limit}, {"offset", offset}};
  out["next_offset"] = static_cast<int64_t>(page->rows.size()) == limit ? bj::value(offset + limit)
                                                                        : bj::value(nullptr);
  if (with_total) out["total"] = page->total;
  return Reply{200, std::move(out), {}};
}

Result<Reply> Api::GetDossier(Call& c) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  const std::string& code = c.Param("code");
  auto view = lifecycle_.Get(*actor, code);
  if (!view) return std::unexpected(view.error());
  const domain::Dossier& d = view->dossier;
  auto history = lifecycle_.History(*actor, code);
  if (!history) return std::unexpected(history.error());
  bj::object o = EncodeDossier(d, view->overdue, lifecycle_.catalog().Schedule(d.schedule));
  if (services_.lookup) o["lookup_key"] = services_.lookup->KeyFor(d.code);
  bj::array events;
  for (const Event& e : *history) events.push_back(EncodeEvent(e, d.applicant.id_number));
  o["history"] = std::move(events);
  return Reply{200, std::move(o), {}};
}

Result<Reply> Api::Act(Call& c, const Action& action) const {
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  auto d = action(*actor, c.Param("code"), *body);
  if (!d) return std::unexpected(d.error());
  return DossierReply(*d, 200);
}

namespace {
// RFC 6266 attachment header with an RFC 5987 UTF-8 file name (and an ASCII fallback).
std::string ContentDisposition(std::string_view name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : name) {
    const bool plain = std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_';
    ascii += plain ? static_cast<char>(ch) : '_';
    if (plain) {
      encoded += static_cast<char>(ch);
    } else {
      encoded += '%';
      encoded += kHex[ch >> 4];
      encoded += kHex[ch & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

Reply Attachment(std::string bytes, std::string content_type, std::string_view name) {
  Reply r;
  r.raw = std::move(bytes);
  r.raw_content_type = std::move(content_type);
  r.headers.emplace_back("Content-Disposition", ContentDisposition(name));
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

Reply Attachment(store::BlobReader file, std::string content_type, std::string_view name) {
  Reply r = Attachment(std::string(), std::move(content_type), name);
  r.raw.reset();
  r.file = std::move(file);
  return r;
}

Error ServiceUnavailable(std::string_view what) {
  return Error{ErrorCode::kUnavailable, "service.unavailable", std::string(what), {}};
}

}  // namespace motcua::http
