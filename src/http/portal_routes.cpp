// The routes behind the web front end's citizen portal and workspace: component files (upload,
// download), drafts of a submission, the public status lookup and the public working calendar
// (docs/api.md). As elsewhere, the handlers only read the request and encode the answer; the use
// cases in app/ decide who may do what.
#include <boost/url.hpp>

#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

namespace {

std::string Header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

bj::object EncodeFile(const app::StoredFile& f) {
  bj::object o{{"id", f.ref.id},
               {"name", f.ref.name},
               {"content_type", f.ref.content_type},
               {"size", f.ref.size},
               {"sha256", f.ref.sha256}};
  PutTime(o, "uploaded_at", f.uploaded_at);
  return o;
}

Reply FileReply(const domain::FileRef& ref, store::BlobReader file) {
  return Attachment(std::move(file), ref.content_type, ref.name);
}

bj::object EncodeDraft(const app::Draft& d, bool with_form) {
  bj::object o{{"procedure_code", d.procedure_code}};
  PutTime(o, "saved_at", d.saved_at);
  if (with_form) o["form"] = d.form;
  return o;
}

}  // namespace

void Api::AddPortalRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::post, "/api/v1/files", bind(&Api::UploadFile));
  router_.Add(verb::get, "/api/v1/files/{id}", bind(&Api::DownloadOwnFile));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/files/{id}", bind(&Api::DownloadDossierFile));
  router_.Add(verb::get, "/api/v1/drafts", bind(&Api::ListDrafts));
  router_.Add(verb::put, "/api/v1/drafts/{procedure}", bind(&Api::SaveDraft));
  router_.Add(verb::delete_, "/api/v1/drafts/{procedure}", bind(&Api::DeleteDraft));
  router_.Add(verb::get, "/api/v1/lookup", bind(&Api::LookupStatus));
  router_.Add(verb::get, "/api/v1/calendar", bind(&Api::Calendar));
  router_.Add(verb::put, "/api/v1/calendar/days/{date}", bind(&Api::SetCalendarDay));
  router_.Add(verb::delete_, "/api/v1/calendar/days/{date}", bind(&Api::ClearCalendarDay));
}

Result<Reply> Api::UploadFile(Call& c) const {
  if (!services_.files) return Fail(ServiceUnavailable("files"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  std::string type = Header(c.raw(), "Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  // The name travels percent-encoded (UTF-8), as a browser's encodeURIComponent writes it.
  // A missing or undecodable name reaches the use case as "" (file.bad_name, after the
  // permission check, so that a caller without the right learns nothing more).
  const std::string raw_name = Header(c.raw(), "X-File-Name");
  auto decoded = boost::urls::make_pct_string_view(raw_name);
  std::string name = decoded ? decoded->decode() : std::string();
  if (!CheckString(name, K::kLine, "X-File-Name")) name.clear();
  // The server streams the body into a staged blob as it arrives (never a whole file in memory);
  // a request handed over with its body (tests) is staged here.
  auto f = c.meta().upload ? services_.files->Upload(*actor, name, type, *c.meta().upload)
                           : services_.files->Upload(*actor, name, type, c.raw().body());
  if (!f) return std::unexpected(f.error());
  Reply r{201, EncodeFile(*f), {}, {}, {}};
  r.headers.emplace_back("Location", "/api/v1/files/" + f->ref.id);
  return r;
}

Result<Reply> Api::DownloadOwnFile(Call& c) const {
  if (!services_.files) return Fail(ServiceUnavailable("files"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto f = services_.files->OpenOwn(*actor, c.Param("id"));
  if (!f) return std::unexpected(f.error());
  return FileReply(f->first.ref, std::move(f->second));
}

Result<Reply> Api::DownloadDossierFile(Call& c) const {
  if (!services_.files) return Fail(ServiceUnavailable("files"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  // Reading the dossier is the permission: its files are part of it.
  auto view = lifecycle_.Get(*actor, c.Param("code"));
  if (!view) return std::unexpected(view.error());
  const std::string& id = c.Param("id");
  for (const domain::ComponentRecord& comp : view->dossier.components) {
    for (const domain::FileRef& ref : comp.files) {
      if (ref.id != id) continue;
      auto file = services_.files->Open(ref);
      if (!file) return std::unexpected(file.error());
      return FileReply(ref, std::move(*file));
    }
  }
  return Fail(ErrorCode::kNotFound, "file.not_found", id.substr(0, 64));
}

Result<Reply> Api::ListDrafts(Call& c) const {
  if (!services_.drafts) return Fail(ServiceUnavailable("drafts"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto drafts = services_.drafts->List(*actor);
  if (!drafts) return std::unexpected(drafts.error());
  bj::array items;
  for (const app::Draft& d : *drafts) items.push_back(EncodeDraft(d, true));
  const auto n = static_cast<int64_t>(items.size());
  return Reply{200, bj::object{{"items", std::move(items)}, {"count", n}}, {}, {}, {}};
}

Result<Reply> Api::SaveDraft(Call& c) const {
  if (!services_.drafts) return Fail(ServiceUnavailable("drafts"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"form"}); !o) return std::unexpected(o.error());
  const bj::value* form = body->if_contains("form");
  if (!form || !form->is_object()) return Fail(json::BadField("form", "an object"));
  auto d = services_.drafts->Save(*actor, c.Param("procedure"), form->get_object());
  if (!d) return std::unexpected(d.error());
  return Reply{200, EncodeDraft(*d, false), {}, {}, {}};
}

Result<Reply> Api::DeleteDraft(Call& c) const {
  if (!services_.drafts) return Fail(ServiceUnavailable("drafts"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto deleted = services_.drafts->Delete(*actor, c.Param("procedure"));
  if (!deleted) return std::unexpected(deleted.error());
  return Reply{200, bj::object{{"deleted", *deleted}}, {}, {}, {}};
}

Result<Reply> Api::LookupStatus(Call& c) const {
  if (!services_.lookup) return Fail(ServiceUnavailable("lookup"));
  if (auto o = c.OnlyQuery({"code", "key"}); !o) return std::unexpected(o.error());
  const std::string* code = c.Query("code");
  const std::string* key = c.Query("key");
  if (!code || code->empty()) return Fail(BadQuery("code", "a dossier code"));
  if (!key || key->empty())
    return Fail(BadQuery("key", "the receipt's lookup key or 4 phone digits"));
  auto s = services_.lookup->Find(*code, *key, c.meta().remote_address);
  if (!s) return std::unexpected(s.error());
  bj::object o{{"code", s->code},
               {"procedure_code", s->procedure_code},
               {"procedure_name", s->procedure_name},
               {"state", domain::StateName(s->state)},
               {"status_code", domain::NationalStatusCode(s->state)},
               {"channel", domain::ChannelName(s->channel)},
               {"applicant_name", s->applicant_name},
               {"receiving_unit", s->receiving_unit},
               {"overdue", s->overdue}};
  if (const domain::Unit* u = lifecycle_.catalog().units().Find(s->receiving_unit)) {
    o["receiving_unit_name"] = u->name;
  }
  PutTime(o, "submitted_at", s->submitted_at);
  PutTime(o, "received_at", s->received_at);
  PutTime(o, "due_at", s->due_at);
  PutTime(o, "returned_at", s->returned_at);
  bj::array timeline;
  for (const app::PublicStatus::Entry& e : s->timeline) {
    bj::object t{{"type", e.type}};
    PutTime(t, "at", e.at);
    timeline.push_back(std::move(t));
  }
  o["timeline"] = std::move(timeline);
  Reply r{200, std::move(o), {}, {}, {}};
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Reply> Api::Calendar(Call& c) const {
  if (auto o = c.OnlyQuery({"year"}); !o) return std::unexpected(o.error());
  const domain::WorkingCalendar& cal = lifecycle_.catalog().calendar();
  int year = ToVietnamLocal(lifecycle_.clock().Now()).date.year;
  if (const std::string* y = c.Query("year")) {
    auto v = ParseCount(*y, "year", cal.first_year(), cal.last_year());
    if (!v) return std::unexpected(v.error());
    year = static_cast<int>(*v);
  }
  const domain::WorkSchedule& standard = lifecycle_.catalog().Schedule("standard");
  bj::array days;
  auto put = [&](const domain::DayInfo& d) {
    days.push_back(bj::object{{"date", FormatIsoDate(d.date)},
                              {"kind", domain::DayKindName(d.kind)},
                              {"working", d.working},
                              {"name_vi", d.name_vi},
                              {"name_en", d.name_en},
                              {"source", d.source},
                              {"official", d.from_override},
                              {"managed", lifecycle_.catalog().IsManaged(d.date)}});
  };
  // Days off other than the weekly rest days, and the weekend days worked to make up a swap.
  const int64_t first = DaysFromCivil(CivilDate{year, 1, 1});
  const int64_t last = DaysFromCivil(CivilDate{year, 12, 31});
  for (int64_t n = first; n <= last; ++n) {
    const domain::DayInfo d = cal.Describe(CivilFromDays(n), standard);
    // Ordinary days are implied, but a managed entry is always listed (so it can be cleared).
    if ((d.kind == domain::DayKind::kWorking || d.kind == domain::DayKind::kWeekend) &&
        !lifecycle_.catalog().IsManaged(d.date)) {
      continue;
    }
    put(d);
  }
  const auto count = static_cast<int64_t>(days.size());
  return Reply{
      200,
      bj::object{
          {"year", year}, {"schedule", "standard"}, {"days", std::move(days)}, {"count", count}},
      {},
      {},
      {}};
}

Result<Reply> Api::SetCalendarDay(Call& c) const {
  if (!services_.calendar) return Fail(ServiceUnavailable("calendar"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"kind", "name_vi", "name_en", "source"}); !o) {
    return std::unexpected(o.error());
  }
  app::CalendarDayInput in;
  auto date = ParseIsoDate(c.Param("date"));
  if (!date) return std::unexpected(date.error());
  in.date = *date;
  auto kind = r.Required("kind", K::kCode);
  auto name_vi = r.Required("name_vi", K::kLine);
  auto name_en = r.Required("name_en", K::kLine);  // the calendar shows both languages
  auto source = r.Required("source", K::kLine);
  for (const Result<std::string>* f : {&kind, &name_vi, &name_en, &source}) {
    if (!*f) return std::unexpected(f->error());
  }
  in.kind = *kind;
  in.name_vi = *name_vi;
  in.name_en = *name_en;
  in.source = *source;
  auto day = services_.calendar->SetDay(*actor, in);
  if (!day) return std::unexpected(day.error());
  return Reply{200,
               bj::object{{"date", FormatIsoDate(day->date)},
                          {"kind", domain::OverrideKindName(day->kind)},
                          {"name_vi", day->name_vi},
                          {"name_en", day->name_en},
                          {"source", day->source}},
               {},
               {},
               {}};
}

Result<Reply> Api::ClearCalendarDay(Call& c) const {
  if (!services_.calendar) return Fail(ServiceUnavailable("calendar"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto date = ParseIsoDate(c.Param("date"));
  if (!date) return std::unexpected(date.error());
  auto cleared = services_.calendar->ClearDay(*actor, *date);
  if (!cleared) return std::unexpected(cleared.error());
  return Reply{200, bj::object{{"cleared", *cleared}}, {}, {}, {}};
}

}  // namespace motcua::http
