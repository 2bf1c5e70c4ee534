// The routes of the applicant's data store (docs/api.md): the citizen's own documents and their
// files, an applicant's documents for the counter officer, and the digitisation and reuse figures
// of a unit. app/holdings.h decides; a component is taken from the store by naming a holding in
// the submission ("reused_from"), which app::Lifecycle resolves.
#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;

namespace {

bj::object EncodeHolding(const domain::Holding& h, const app::Catalog& cat) {
  bj::object o{{"id", h.id},           {"doc_type", h.doc_type},
               {"title", h.title},     {"source", domain::HoldingSourceName(h.source)},
               {"dossier", h.dossier}, {"issuing_unit", h.issuing_unit}};
  o["component"] = h.component.empty() ? bj::value(nullptr) : bj::value(h.component);
  const domain::Unit* u = cat.units().Find(h.issuing_unit);
  o["issuing_unit_name"] = u ? bj::value(u->name) : bj::value(nullptr);
  PutTime(o, "issued_at", h.issued_at);
  o["valid_until"] = h.valid_until ? bj::value(FormatIsoDate(*h.valid_until)) : bj::value(nullptr);
  o["file"] = bj::object{{"id", h.file.id},
                         {"name", h.file.name},
                         {"content_type", h.file.content_type},
                         {"size", h.file.size}};
  return o;
}

Reply HoldingList(const std::vector<domain::Holding>& hs, const app::Catalog& cat) {
  bj::array items;
  for (const domain::Holding& h : hs) items.push_back(EncodeHolding(h, cat));
  const auto n = static_cast<int64_t>(items.size());
  return Reply{200, bj::object{{"items", std::move(items)}, {"count", n}}, {}, {}, {}};
}

Result<CivilDate> DateQuery(const std::string* s, std::string_view name) {
  if (!s) return Fail(BadQuery(name, "required: yyyy-mm-dd"));
  auto d = ParseIsoDate(*s);
  if (!d) return Fail(BadQuery(name, "yyyy-mm-dd"));
  return *d;
}

}  // namespace

void Api::AddHoldingRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::get, "/api/v1/me/holdings", bind(&Api::ListOwnHoldings));
  router_.Add(verb::get, "/api/v1/me/holdings/{id}/file", bind(&Api::OwnHoldingFile));
  router_.Add(verb::get, "/api/v1/holdings", bind(&Api::ListApplicantHoldings));
  router_.Add(verb::get, "/api/v1/figures/digitisation", bind(&Api::DigitisationFigures));
}

Result<Reply> Api::ListOwnHoldings(Call& c) const {
  if (!services_.holdings) return Fail(ServiceUnavailable("holdings"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto hs = services_.holdings->ListOwn(*actor);
  if (!hs) return std::unexpected(hs.error());
  return HoldingList(*hs, lifecycle_.access().catalog());
}

Result<Reply> Api::OwnHoldingFile(Call& c) const {
  if (!services_.holdings || !services_.files) return Fail(ServiceUnavailable("holdings"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto h = services_.holdings->GetOwn(*actor, c.Param("id"));
  if (!h) return std::unexpected(h.error());
  auto bytes = services_.files->Bytes(h->file);
  if (!bytes) return std::unexpected(bytes.error());
  return Attachment(std::move(*bytes), h->file.content_type, h->file.name);
}

Result<Reply> Api::ListApplicantHoldings(Call& c) const {
  if (!services_.holdings) return Fail(ServiceUnavailable("holdings"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"applicant"}); !o) return std::unexpected(o.error());
  const std::string* applicant = c.Query("applicant");
  if (!applicant) return Fail(BadQuery("applicant", "required: the applicant's ID number"));
  auto hs = services_.holdings->ListFor(*actor, *applicant);
  if (!hs) return std::unexpected(hs.error());
  return HoldingList(*hs, lifecycle_.access().catalog());
}

Result<Reply> Api::DigitisationFigures(Call& c) const {
  if (!services_.holdings) return Fail(ServiceUnavailable("holdings"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"unit", "from", "to"}); !o) return std::unexpected(o.error());
  const std::string* unit = c.Query("unit");
  if (!unit || unit->empty()) return Fail(BadQuery("unit", "required: a unit code"));
  auto from = DateQuery(c.Query("from"), "from");
  if (!from) return std::unexpected(from.error());
  auto to = DateQuery(c.Query("to"), "to");
  if (!to) return std::unexpected(to.error());
  if (*to < *from) return Fail(BadQuery("to", "not before from"));
  // Both days included, in Vietnam time.
  const Timestamp begin = FromVietnamLocal(*from, 0);
  const Timestamp end = FromVietnamLocal(CivilFromDays(DaysFromCivil(*to) + 1), 0);
  auto f = services_.holdings->Figures(*actor, *unit, begin, end);
  if (!f) return std::unexpected(f.error());
  auto rate = [](int64_t n, int64_t d) {
    return d == 0 ? bj::value(nullptr) : bj::value(double(n) / double(d));
  };
  bj::object o{{"unit", *unit},
               {"from", FormatIsoDate(*from)},
               {"to", FormatIsoDate(*to)},
               {"dossiers", f->dossiers},
               {"components", f->components},
               {"components_digitised", f->components_digitised},
               {"components_reused", f->components_reused},
               {"dossiers_all_digitised", f->dossiers_all_digitised},
               {"dossiers_reusing", f->dossiers_reusing},
               {"results", f->results},
               {"results_electronic", f->results_electronic}};
  o["rate_components_digitised"] = rate(f->components_digitised, f->components);
  o["rate_dossiers_all_digitised"] = rate(f->dossiers_all_digitised, f->dossiers);
  o["rate_dossiers_reusing"] = rate(f->dossiers_reusing, f->dossiers);
  o["rate_results_electronic"] = rate(f->results_electronic, f->results);
  return Reply{200, std::move(o), {}, {}, {}};
}

}  // namespace motcua::http
