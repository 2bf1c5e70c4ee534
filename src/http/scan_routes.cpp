// The routes of counter digitisation (docs/api.md, docs/impl/ocr.md): a scan's OCR result for its
// uploader or for whoever may read its dossier, the fields the counter officer confirms, and the
// diacritic-insensitive search of scanned text. app/scans.h decides.
#include "base/json.h"
#include "http/codec.h"
#include "http/routes.h"

namespace motcua::http {

namespace bj = boost::json;
using beast_http::verb;
using K = FieldReader::Kind;

namespace {

Lang LangOf(const Request& req) {
  auto it = req.find(beast_http::field::accept_language);
  return it == req.end()
             ? Lang::kVi
             : PreferredLanguage(std::string_view(it->value().data(), it->value().size()));
}

bj::object EncodeOcr(const app::OcrView& v, const MessageCatalog& messages, Lang lang) {
  bj::array pages;
  for (const app::OcrPageText& p : v.pages) {
    pages.push_back(bj::object{{"page", p.page}, {"text", p.text}, {"confidence", p.confidence}});
  }
  bj::object fields;
  for (const auto& [name, f] : v.fields) {
    fields[name] = bj::object{{"value", f.value.empty() ? bj::value(nullptr) : bj::value(f.value)},
                              {"confidence", f.confidence}};
  }
  bj::value error = nullptr;
  if (v.state == "failed") {
    error = bj::object{{"code", v.error_code},
                       {"message", messages.Find(v.error_code, lang).value_or(v.error_code)}};
  }
  bj::value confirmed = nullptr;
  if (v.confirmed) {
    bj::object values;
    for (const auto& [name, value] : v.confirmed->fields) values[name] = value;
    confirmed = bj::object{{"kind", v.confirmed->kind},
                           {"fields", std::move(values)},
                           {"by", v.confirmed->by},
                           {"at", FormatIsoUtc(v.confirmed->at)}};
  }
  return bj::object{{"file", v.file},
                    {"state", v.state},
                    {"error", std::move(error)},
                    {"kind", v.kind},
                    {"mean_confidence", v.mean_confidence},
                    {"pages", std::move(pages)},
                    {"fields", std::move(fields)},
                    {"confirmed", std::move(confirmed)}};
}

}  // namespace

void Api::AddScanRoutes() {
  auto bind = [this](Result<Reply> (Api::*fn)(Call&) const) {
    return [this, fn](Call& c) { return (this->*fn)(c); };
  };
  router_.Add(verb::get, "/api/v1/files/{id}/ocr", bind(&Api::OwnFileOcr));
  router_.Add(verb::post, "/api/v1/files/{id}/fields", bind(&Api::ConfirmFileFields));
  router_.Add(verb::get, "/api/v1/dossiers/{code}/files/{id}/ocr", bind(&Api::DossierFileOcr));
  router_.Add(verb::get, "/api/v1/scans/search", bind(&Api::SearchScans));
}

Result<Reply> Api::OwnFileOcr(Call& c) const {
  if (!services_.scans) return Fail(ServiceUnavailable("scans"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto v = services_.scans->GetOwn(*actor, c.Param("id"));
  if (!v) return std::unexpected(v.error());
  return Reply{200, EncodeOcr(*v, messages_, LangOf(c.raw())), {}, {}, {}};
}

Result<Reply> Api::DossierFileOcr(Call& c) const {
  if (!services_.scans) return Fail(ServiceUnavailable("scans"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  auto v = services_.scans->GetInDossier(*actor, c.Param("code"), c.Param("id"));
  if (!v) return std::unexpected(v.error());
  return Reply{200, EncodeOcr(*v, messages_, LangOf(c.raw())), {}, {}, {}};
}

Result<Reply> Api::ConfirmFileFields(Call& c) const {
  if (!services_.scans) return Fail(ServiceUnavailable("scans"));
  if (auto o = c.OnlyQuery({}); !o) return std::unexpected(o.error());
  // The body's shape first (the field reader runs before the permission check everywhere).
  auto body = c.Body();
  if (!body) return std::unexpected(body.error());
  FieldReader r(*body);
  if (auto o = r.Only({"kind", "fields"}); !o) return std::unexpected(o.error());
  auto kind = r.Required("kind", K::kCode);
  if (!kind) return std::unexpected(kind.error());
  const bj::value* fv = body->if_contains("fields");
  if (!fv || !fv->is_object()) return Fail(json::BadField("fields", "an object of strings"));
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [name, value] : fv->get_object()) {
    const std::string path = "fields." + std::string(name.substr(0, 64));
    if (!value.is_string()) return Fail(json::BadField(path, "a string"));
    if (auto ok = CheckString(value.get_string(), K::kLine, path); !ok) {
      return std::unexpected(ok.error());
    }
    fields.emplace_back(std::string(name), std::string(value.get_string()));
  }
  if (fields.size() > 16) return Fail(json::BadField("fields", "at most 16"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  auto v = services_.scans->Confirm(*actor, c.Param("id"), *kind, fields);
  if (!v) return std::unexpected(v.error());
  return Reply{200, EncodeOcr(*v, messages_, LangOf(c.raw())), {}, {}, {}};
}

Result<Reply> Api::SearchScans(Call& c) const {
  if (!services_.scans) return Fail(ServiceUnavailable("scans"));
  auto actor = c.Actor();
  if (!actor) return std::unexpected(actor.error());
  if (auto o = c.OnlyQuery({"q", "limit"}); !o) return std::unexpected(o.error());
  const std::string* q = c.Query("q");
  if (!q || q->empty()) return Fail(BadQuery("q", "required: the words to find"));
  if (auto ok = CheckString(*q, K::kLine, "q"); !ok)
    return Fail(BadQuery("q", "one line, 200 bytes"));
  int64_t limit = 20;
  if (const std::string* l = c.Query("limit")) {
    auto n = ParseCount(*l, "limit", 1, 100);
    if (!n) return std::unexpected(n.error());
    limit = *n;
  }
  auto hits = services_.scans->Search(*actor, *q, static_cast<int>(limit));
  if (!hits) return std::unexpected(hits.error());
  bj::array items;
  for (const app::ScanHit& h : *hits) {
    items.push_back(bj::object{{"file", h.file},
                               {"dossier", h.dossier ? bj::value(*h.dossier) : bj::value(nullptr)},
                               {"name", h.name},
                               {"snippet", h.snippet}});
  }
  return Reply{200, bj::object{{"items", std::move(items)}}, {}, {}, {}};
}

}  // namespace motcua::http
