#include "http/codec.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "base/json.h"
#include "domain/identity.h"

namespace motcua::http {

namespace bj = boost::json;

namespace {

Error Bad(std::string_view path, std::string_view why) { return json::BadField(path, why); }

size_t MaxBytes(FieldReader::Kind kind) {
  switch (kind) {
    case FieldReader::Kind::kCode:
      return kMaxCodeBytes;
    case FieldReader::Kind::kLine:
      return kMaxLineBytes;
    case FieldReader::Kind::kText:
      return kMaxTextBytes;
  }
  return kMaxCodeBytes;
}

constexpr std::array<std::string_view, 21> kInstantKeys = {
    "submitted_at", "received_at",      "clock_start",
    "due_at",       "original_due_at",  "finished_at",
    "returned_at",  "started_at",       "completed_at",
    "requested_at", "provided_at",      "answered_at",
    "at",           "old_due",          "new_due",
    "step_due_at",  "next_step_due_at", "due_at_before",
    "paused_from",  "issued_at",        "paid_at"};

bool IsInstantKey(std::string_view k) {
  return std::find(kInstantKeys.begin(), kInstantKeys.end(), k) != kInstantKeys.end();
}

}  // namespace

std::string FieldReader::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

Result<void> CheckString(std::string_view s, FieldReader::Kind kind, std::string_view path) {
  if (s.size() > MaxBytes(kind)) {
    return Fail(Bad(path, "longer than " + std::to_string(MaxBytes(kind)) + " bytes"));
  }
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool allowed_space =
        kind == FieldReader::Kind::kText && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 && !allowed_space) || c == 0x7f) return Fail(Bad(path, "control character"));
  }
  return {};
}

Result<std::string> FieldReader::Required(std::string_view key, Kind kind) const {
  const bj::value* v = o_.if_contains(key);
  if (!v || v->is_null()) return Fail(Bad(Path(key), "missing"));
  if (!v->is_string()) return Fail(Bad(Path(key), "not a string"));
  const std::string_view s = v->get_string();
  if (auto c = CheckString(s, kind, Path(key)); !c) return std::unexpected(c.error());
  if (s.empty()) return Fail(Bad(Path(key), "empty"));
  return std::string(s);
}

Result<std::string> FieldReader::Optional(std::string_view key, Kind kind,
                                          std::string fallback) const {
  const bj::value* v = o_.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) return Fail(Bad(Path(key), "not a string"));
  if (auto c = CheckString(v->get_string(), kind, Path(key)); !c) return std::unexpected(c.error());
  return std::string(v->get_string());
}

Result<bool> FieldReader::Bool(std::string_view key, bool fallback) const {
  const bj::value* v = o_.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool()) return Fail(Bad(Path(key), "not a boolean"));
  return v->get_bool();
}

Result<std::vector<std::string>> FieldReader::Strings(std::string_view key, Kind kind) const {
  std::vector<std::string> out;
  const bj::value* v = o_.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Fail(Bad(Path(key), "not an array"));
  if (v->get_array().size() > kMaxItems) return Fail(Bad(Path(key), "too many elements"));
  size_t i = 0;
  for (const bj::value& x : v->get_array()) {
    const std::string path = Path(key) + "[" + std::to_string(i++) + "]";
    if (!x.is_string()) return Fail(Bad(path, "not a string"));
    if (auto c = CheckString(x.get_string(), kind, path); !c) return std::unexpected(c.error());
    if (x.get_string().empty()) return Fail(Bad(path, "empty"));
    out.emplace_back(x.get_string());
  }
  return out;
}

Result<void> FieldReader::Only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : o_) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end()) {
      // The name is client-chosen: bound it before it becomes an error parameter.
      std::string name(k.substr(0, 64));
      if (!CheckString(name, FieldReader::Kind::kCode, name)) name = "?";
      return Fail(Bad(Path(name), "unknown field"));
    }
  }
  return {};
}

constexpr size_t kMaxFilesPerComponent = 20;

Result<std::vector<domain::ComponentRecord>> DecodeComponents(const FieldReader& r,
                                                              std::string_view key) {
  std::vector<domain::ComponentRecord> out;
  const bj::value* v = r.object().if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Fail(Bad(r.Path(key), "not an array"));
  if (v->get_array().size() > kMaxItems) return Fail(Bad(r.Path(key), "too many elements"));
  size_t i = 0;
  for (const bj::value& x : v->get_array()) {
    const std::string path = r.Path(key) + "[" + std::to_string(i++) + "]";
    if (!x.is_object()) return Fail(Bad(path, "not an object"));
    FieldReader c(x.get_object(), path);
    if (auto only = c.Only({"code", "reused_from", "files"}); !only) {
      return std::unexpected(only.error());
    }
    auto code = c.Required("code", FieldReader::Kind::kCode);
    if (!code) return std::unexpected(code.error());
    auto reused = c.Optional("reused_from", FieldReader::Kind::kLine);
    if (!reused) return std::unexpected(reused.error());
    // Uploaded file ids (POST /api/v1/files); the use case resolves them and checks ownership.
    auto files = c.Strings("files", FieldReader::Kind::kCode);
    if (!files) return std::unexpected(files.error());
    if (files->size() > kMaxFilesPerComponent) {
      return Fail(Bad(c.Path("files"), "at most 20 files"));
    }
    domain::ComponentRecord rec;
    rec.code = std::move(*code);
    rec.provided = true;
    rec.reused_from = std::move(*reused);
    for (std::string& id : *files)
      rec.files.push_back(domain::FileRef{std::move(id), {}, {}, 0, {}});
    out.push_back(std::move(rec));
  }
  return out;
}

Result<app::SubmitRequest> DecodeSubmit(const bj::object& body) {
  using K = FieldReader::Kind;
  FieldReader r(body);
  if (auto only =
          r.Only({"procedure_code", "channel", "applicant", "assisted_by", "receiving_unit",
                  "competent_unit", "components", "fee_conditions", "fee_quantities", "exemption",
                  "receive_now", "digitised", "paid_cash"});
      !only) {
    return std::unexpected(only.error());
  }
  app::SubmitRequest req;
  auto procedure = r.Required("procedure_code", K::kCode);
  if (!procedure) return std::unexpected(procedure.error());
  req.procedure_code = std::move(*procedure);
  auto channel_name = r.Required("channel", K::kCode);
  if (!channel_name) return std::unexpected(channel_name.error());
  auto channel = domain::ParseChannel(*channel_name);
  if (!channel) return std::unexpected(channel.error());
  req.channel = *channel;

  const bj::value* av = body.if_contains("applicant");
  if (!av || av->is_null()) return Fail(Bad("applicant", "missing"));
  if (!av->is_object()) return Fail(Bad("applicant", "not an object"));
  FieldReader a(av->get_object(), "applicant");
  if (auto only = a.Only({"kind", "id_kind", "id_number", "name", "phone", "email", "address"});
      !only) {
    return std::unexpected(only.error());
  }
  auto kind = a.Optional("kind", K::kCode, "person");
  auto id_kind = a.Optional("id_kind", K::kCode, "cccd");
  auto id_number = a.Required("id_number", K::kCode);
  auto name = a.Required("name", K::kLine);
  auto phone = a.Optional("phone", K::kCode);
  auto email = a.Optional("email", K::kLine);
  auto address = a.Optional("address", K::kLine);
  for (const Result<std::string>* f :
       {&kind, &id_kind, &id_number, &name, &phone, &email, &address}) {
    if (!*f) return std::unexpected(f->error());
  }
  auto parsed_kind = domain::ParseIdKind(*id_kind);
  if (!parsed_kind) return std::unexpected(parsed_kind.error());
  req.applicant.kind = std::move(*kind);
  req.applicant.id_kind = *parsed_kind;
  req.applicant.id_number = std::move(*id_number);
  req.applicant.name = std::move(*name);
  req.applicant.phone = std::move(*phone);
  req.applicant.email = std::move(*email);
  req.applicant.address = std::move(*address);
  // identity_verified is set by the e-ID check (not yet wired), never by the client.

  auto assisted_by = r.Optional("assisted_by", K::kLine);
  auto receiving = r.Required("receiving_unit", K::kCode);
  auto competent = r.Optional("competent_unit", K::kCode);
  for (const Result<std::string>* f : {&assisted_by, &receiving, &competent}) {
    if (!*f) return std::unexpected(f->error());
  }
  req.assisted_by = std::move(*assisted_by);
  req.receiving_unit = std::move(*receiving);
  req.competent_unit = std::move(*competent);
  auto components = DecodeComponents(r, "components");
  if (!components) return std::unexpected(components.error());
  req.components = std::move(*components);
  auto conditions = r.Strings("fee_conditions", K::kCode);
  if (!conditions) return std::unexpected(conditions.error());
  req.fee_conditions = std::move(*conditions);
  if (const bj::value* q = body.if_contains("fee_quantities"); q && !q->is_null()) {
    if (!q->is_object()) return Fail(Bad("fee_quantities", "an object of whole numbers"));
    for (const auto& [unit, n] : q->get_object()) {
      if (!CheckString(unit, K::kCode, "fee_quantities") || !n.is_int64()) {
        return Fail(Bad("fee_quantities", "an object of whole numbers"));
      }
      req.fee_quantities[std::string(unit)] = n.get_int64();
    }
  }
  auto exemption = r.Optional("exemption", K::kCode);
  if (!exemption) return std::unexpected(exemption.error());
  req.exemption = std::move(*exemption);
  auto receive_now = r.Bool("receive_now", false);
  if (!receive_now) return std::unexpected(receive_now.error());
  req.receive_now = *receive_now;
  auto paid_cash = r.Bool("paid_cash", false);
  if (!paid_cash) return std::unexpected(paid_cash.error());
  req.paid_cash = *paid_cash;
  auto digitised = r.Strings("digitised", K::kCode);
  if (!digitised) return std::unexpected(digitised.error());
  req.digitised = std::move(*digitised);
  return req;
}

std::string FormatDisplayVi(Timestamp t) {
  const LocalDateTime l = ToVietnamLocal(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", l.date.day, l.date.month, l.date.year,
                l.minute_of_day / 60, l.minute_of_day % 60);
  return buf;
}

void PutTime(bj::object& o, std::string_view key, std::optional<Timestamp> t) {
  const std::string vi = std::string(key) + "_vi";
  if (t) {
    o[key] = FormatIsoUtc(*t);
    o[vi] = FormatDisplayVi(*t);
  } else {
    o[key] = nullptr;
    o[vi] = nullptr;
  }
}

void ConvertInstants(bj::value& v) {
  if (bj::array* a = v.if_array()) {
    for (bj::value& x : *a) ConvertInstants(x);
    return;
  }
  bj::object* o = v.if_object();
  if (!o) return;
  std::vector<std::pair<std::string, std::optional<Timestamp>>> instants;
  for (auto& [k, x] : *o) {
    if (IsInstantKey(k) && (x.is_int64() || x.is_null())) {
      instants.emplace_back(std::string(k),
                            x.is_null() ? std::nullopt : std::optional(Timestamp{x.get_int64()}));
    } else {
      ConvertInstants(x);
    }
  }
  for (const auto& [k, t] : instants) PutTime(*o, k, t);
}

void MaskIdNumber(bj::value& v, std::string_view id) {
  if (id.empty()) return;
  if (bj::array* a = v.if_array()) {
    for (bj::value& x : *a) MaskIdNumber(x, id);
  } else if (bj::object* o = v.if_object()) {
    for (auto& [k, x] : *o) MaskIdNumber(x, id);
  } else if (bj::string* s = v.if_string()) {
    const std::string_view sv = *s;
    if (sv.find(id) == std::string_view::npos) return;
    std::string out(sv);
    const std::string mask = domain::MaskIdentifier(id);
    for (size_t at = out.find(id); at != std::string::npos; at = out.find(id, at + mask.size())) {
      out.replace(at, id.size(), mask);
    }
    *s = out;
  }
}

bj::object EncodeOverdue(const domain::OverdueInfo& o, const domain::WorkSchedule& s) {
  const domain::WorkingSpan span =
      domain::SplitWorkingMinutes(o.overdue ? o.minutes : o.remaining_minutes, s);
  return bj::object{{"overdue", o.overdue},
                    {"minutes", o.minutes},
                    {"remaining", o.remaining_minutes},
                    {"paused", o.paused},
                    {"display_vi", domain::FormatWorkingSpanVi(span)},
                    {"display_en", domain::FormatWorkingSpanEn(span)}};
}

bj::object EncodeDossier(const domain::Dossier& d, const domain::OverdueInfo& overdue,
                         const domain::WorkSchedule& schedule) {
  bj::value doc = d.ToJson();
  ConvertInstants(doc);
  bj::object& o = doc.get_object();
  o["overdue"] = EncodeOverdue(overdue, schedule);
  return std::move(o);
}

bj::object EncodeDossierSummary(const domain::Dossier& d, const domain::OverdueInfo& overdue,
                                const domain::WorkSchedule& schedule) {
  bj::object o{
      {"code", d.code},
      {"procedure_code", d.procedure_code},
      {"procedure_name", d.procedure_name},
      {"state", domain::StateName(d.state)},
      {"status_code", domain::NationalStatusCode(d.state)},
      {"channel", domain::ChannelName(d.channel)},
      {"applicant", bj::object{{"name", d.applicant.name},
                               {"id_number", domain::MaskIdentifier(d.applicant.id_number)}}},
      {"receiving_unit", d.receiving_unit},
      {"competent_unit", d.competent_unit},
      {"current_unit", d.current_unit},
      {"version", d.version}};
  PutTime(o, "submitted_at", d.submitted_at);
  PutTime(o, "received_at", d.received_at);
  PutTime(o, "due_at", d.due_at);
  PutTime(o, "finished_at", d.finished_at);
  o["overdue"] = EncodeOverdue(overdue, schedule);
  return o;
}

bj::object EncodeEvent(const Event& e, std::string_view applicant_id_number) {
  bj::value payload = e.payload;
  ConvertInstants(payload);
  MaskIdNumber(payload, applicant_id_number);
  bj::value actor = bj::string(e.actor);
  MaskIdNumber(actor, applicant_id_number);
  bj::object o{{"seq", e.seq},
               {"type", e.type},
               {"unit", e.unit},
               {"actor", std::move(actor)},
               {"payload", std::move(payload)}};
  PutTime(o, "at", e.at);
  return o;
}

bj::object EncodeTimeLimit(const domain::TimeLimit& t) {
  bj::object o{{"unit", domain::LimitUnitName(t.unit)}, {"value", t.value}};
  if (t.hours != 0) o["hours"] = t.hours;
  return o;
}

bj::object EncodeProcedureSummary(const domain::Procedure& p) {
  bj::array fees;
  for (const domain::Fee& f : p.fees) {
    bj::object fo{{"code", f.code},
                  {"kind", f.kind},
                  {"name", f.name},
                  {"name_en", f.name_en},
                  {"amount", f.amount}};
    fo["condition"] = f.condition.empty() ? bj::value(nullptr) : bj::value(f.condition);
    fees.push_back(std::move(fo));
  }
  return bj::object{{"code", p.code},
                    {"name", p.name},
                    {"name_en", p.name_en},
                    {"field", p.field},
                    {"competent_level", p.competent_level},
                    {"time_limit", EncodeTimeLimit(p.time_limit)},
                    {"online_level", domain::OnlineLevelName(p.online_level)},
                    {"fees", std::move(fees)}};
}

bj::object EncodeProcedure(const domain::Procedure& p) {
  // The catalogue entry as published (components, steps, legal basis…), under the summary's
  // normalised fields.
  bj::object o = p.source;
  for (auto& [k, v] : EncodeProcedureSummary(p)) o[k] = v;
  // Each component with the document kinds it takes from the data store (the default filled in).
  if (auto* comps = o.if_contains("components"); comps && comps->is_array()) {
    for (bj::value& cv : comps->get_array()) {
      if (!cv.is_object()) continue;
      bj::object& c = cv.get_object();
      const domain::Component* spec = p.FindComponent(json::OptString(c, "code").value_or(""));
      bj::array accepts;
      if (spec) {
        for (const std::string& k : spec->accepts) accepts.emplace_back(k);
      }
      c["accepts"] = std::move(accepts);
    }
  }
  return o;
}

bj::object EncodeUnit(const domain::Unit& u) { return u.ToJson(); }

}  // namespace motcua::http
