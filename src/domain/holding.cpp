#include "domain/holding.h"

#include <algorithm>

#include "base/json.h"

namespace motcua::domain {

namespace bj = boost::json;

std::string_view HoldingSourceName(HoldingSource s) {
  return s == HoldingSource::kResult ? "result" : "component";
}

bj::object Holding::ToJson() const {
  bj::object o{{"id", id},
               {"applicant", applicant},
               {"doc_type", doc_type},
               {"title", title},
               {"source", HoldingSourceName(source)},
               {"dossier", dossier},
               {"component", component},
               {"issuing_unit", issuing_unit},
               {"issued_at", issued_at.us},
               {"file", FileRefJson(file)}};
  o["valid_until"] = valid_until ? bj::value(FormatIsoDate(*valid_until)) : bj::value(nullptr);
  return o;
}

Result<Holding> Holding::FromJson(const bj::object& o) {
  Holding h;
  auto id = json::String(o, "id");
  auto applicant = json::String(o, "applicant");
  auto at = json::Int(o, "issued_at");
  const auto* file = o.if_contains("file");
  if (!id || !applicant || !at || file == nullptr || !file->is_object()) {
    return Fail(ErrorCode::kDataLoss, "holding.bad_record");
  }
  h.id = *id;
  h.applicant = *applicant;
  h.doc_type = json::OptString(o, "doc_type").value_or("");
  h.title = json::OptString(o, "title").value_or("");
  h.source = json::OptString(o, "source").value_or("") == "component" ? HoldingSource::kComponent
                                                                      : HoldingSource::kResult;
  h.dossier = json::OptString(o, "dossier").value_or("");
  h.component = json::OptString(o, "component").value_or("");
  h.issuing_unit = json::OptString(o, "issuing_unit").value_or("");
  h.issued_at = Timestamp{*at};
  if (auto v = json::OptString(o, "valid_until")) {
    auto d = ParseIsoDate(*v);
    if (!d) return Fail(ErrorCode::kDataLoss, "holding.bad_record", "valid_until");
    h.valid_until = *d;
  }
  h.file = FileRefFrom(file->get_object());
  return h;
}

CivilDate ValidThrough(CivilDate issued, int months) {
  const int total = issued.year * 12 + (issued.month - 1) + months;
  CivilDate end{total / 12, total % 12 + 1, 1};
  end.day = std::min(issued.day, DaysInMonth(end.year, end.month));
  return end;
}

std::vector<Holding> HoldingsFiledBy(const Dossier& d, const Event& e) {
  std::vector<Holding> out;
  if (d.applicant.id_number.empty()) return out;
  if (e.type == "DossierReturned" && d.result_document && !d.result_doc_type.empty()) {
    Holding h;
    h.id = "r-" + d.code;
    h.applicant = d.applicant.id_number;
    h.doc_type = d.result_doc_type;
    h.title = d.result_name;
    h.source = HoldingSource::kResult;
    h.dossier = d.code;
    h.issuing_unit = d.competent_unit;
    h.issued_at = d.result_document->issued_at;
    if (d.result_valid_months > 0) {
      h.valid_until = ValidThrough(ToVietnamLocal(h.issued_at).date, d.result_valid_months);
    }
    h.file = d.result_document->file;
    out.push_back(std::move(h));
  } else if (e.type == "DossierReceived") {
    for (const ComponentRecord& c : d.components) {
      if (!c.digitised || c.files.empty() || c.doc_type.empty() || !c.reused_from.empty()) continue;
      Holding h;
      h.id = "c-" + d.code + "-" + c.code;
      h.applicant = d.applicant.id_number;
      h.doc_type = c.doc_type;
      h.title = c.name;
      h.source = HoldingSource::kComponent;
      h.dossier = d.code;
      h.component = c.code;
      h.issuing_unit = d.receiving_unit;
      h.issued_at = e.at;
      h.file = c.files.front();
      out.push_back(std::move(h));
    }
  }
  return out;
}

std::string HoldingIdOf(std::string_view s) {
  if (s.starts_with("holding:")) s.remove_prefix(8);
  if (s.size() < 3 || s.size() > 100 || (!s.starts_with("r-") && !s.starts_with("c-"))) return "";
  const bool ok = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
  return ok ? std::string(s) : "";
}

}  // namespace motcua::domain
