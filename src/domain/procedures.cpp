#include "domain/procedures.h"

#include <algorithm>
#include <set>

#include "base/json.h"

namespace motcua::domain {

std::string_view OnlineLevelName(OnlineLevel l) {
  switch (l) {
    case OnlineLevel::kNone:
      return "none";
    case OnlineLevel::kPartial:
      return "partial";
    case OnlineLevel::kFull:
      return "full";
  }
  return "?";
}

const Component* Procedure::FindComponent(std::string_view component_code) const {
  for (const auto& c : components) {
    if (c.code == component_code) return &c;
  }
  return nullptr;
}

bool Component::Accepts(std::string_view kind) const {
  return !kind.empty() && std::find(accepts.begin(), accepts.end(), kind) != accepts.end();
}

bool IsDocType(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

namespace {

Error Invalid(const std::string& code, std::string why) {
  Error e{ErrorCode::kInvalidArgument, "procedure.invalid_catalogue", why, {}};
  e.With("procedure", code);
  return e;
}

}  // namespace

Result<Procedure> Procedure::FromJson(const boost::json::object& o) {
  Procedure p;
  p.source = o;
  auto code = json::String(o, "code");
  if (!code || code->empty()) return Fail(Invalid("?", "missing code"));
  p.code = *code;
  auto need = [&](std::string_view key) -> Result<std::string> {
    auto v = json::String(o, key);
    if (!v || v->empty()) return Fail(Invalid(p.code, "missing " + std::string(key)));
    return *v;
  };
  auto name = need("name");
  if (!name) return std::unexpected(name.error());
  p.name = *name;
  p.name_en = json::OptString(o, "name_en").value_or("");
  auto field = need("field");
  if (!field) return std::unexpected(field.error());
  p.field = *field;
  auto competent = json::Object(o, "competent");
  if (!competent) return Fail(Invalid(p.code, "missing competent"));
  auto level = json::String(**competent, "level");
  if (!level) return Fail(Invalid(p.code, "missing competent.level"));
  p.competent_level = *level;
  if (p.competent_level != "commune" && p.competent_level != "province") {
    return Fail(Invalid(p.code, "competent.level must be commune or province"));
  }
  p.competent_agency = json::OptString(**competent, "agency").value_or("");
  auto tl = json::Object(o, "time_limit");
  if (!tl) return Fail(Invalid(p.code, "missing time_limit"));
  auto limit = ParseTimeLimit(**tl);
  if (!limit) return Fail(Invalid(p.code, "bad time_limit: " + limit.error().ToString()));
  p.time_limit = *limit;
  auto online = need("online_level");
  if (!online) return std::unexpected(online.error());
  if (*online == "full")
    p.online_level = OnlineLevel::kFull;
  else if (*online == "partial")
    p.online_level = OnlineLevel::kPartial;
  else if (*online == "none")
    p.online_level = OnlineLevel::kNone;
  else
    return Fail(Invalid(p.code, "bad online_level"));

  auto fees = json::Array(o, "fees");
  if (!fees) return Fail(Invalid(p.code, "missing fees"));
  for (const auto& fv : **fees) {
    if (!fv.is_object()) return Fail(Invalid(p.code, "fee not an object"));
    const auto& f = fv.get_object();
    Fee fee;
    fee.code = json::OptString(f, "code").value_or("");
    fee.kind = json::OptString(f, "kind").value_or("");
    fee.name = json::OptString(f, "name").value_or("");
    fee.name_en = json::OptString(f, "name_en").value_or("");
    fee.condition = json::OptString(f, "condition").value_or("");
    auto amount = json::Int(f, "amount");
    if (fee.code.empty() || (fee.kind != "fee" && fee.kind != "charge") || !amount || *amount < 0) {
      return Fail(Invalid(p.code, "fee needs code, kind fee|charge and a non-negative amount"));
    }
    fee.amount = *amount;
    fee.per = json::OptString(f, "per").value_or("");
    fee.replaces = json::OptString(f, "replaces").value_or("");
    if (auto from = json::OptInt(f, "from")) fee.from = *from;
    if (auto to = json::OptInt(f, "to")) fee.to = *to;
    if (fee.from < 1 || fee.to < 0 || (fee.to != 0 && fee.to < fee.from)) {
      return Fail(Invalid(p.code, "fee " + fee.code + ": from >= 1, to 0 or >= from"));
    }
    p.fees.push_back(std::move(fee));
  }
  for (const Fee& fee : p.fees) {
    if (!fee.replaces.empty() &&
        std::none_of(p.fees.begin(), p.fees.end(), [&](const Fee& x) { return x.code == fee.replaces; })) {
      return Fail(Invalid(p.code, "fee " + fee.code + " replaces an unknown fee"));
    }
  }
  if (auto ex = json::Array(o, "exemptions")) {
    for (const auto& e : **ex) {
      if (!e.is_string() || e.get_string().empty()) return Fail(Invalid(p.code, "bad exemption"));
      p.exemptions.emplace_back(e.get_string());
    }
  }
  p.pay_before = json::OptString(o, "pay_before").value_or("return");
  if (p.pay_before != "return" && p.pay_before != "receipt") {
    return Fail(Invalid(p.code, "pay_before must be receipt or return"));
  }
  auto comps = json::Array(o, "components");
  if (!comps || (*comps)->empty()) return Fail(Invalid(p.code, "missing components"));
  std::set<std::string> comp_codes;
  for (const auto& cv : **comps) {
    if (!cv.is_object()) return Fail(Invalid(p.code, "component not an object"));
    const auto& c = cv.get_object();
    Component comp;
    comp.code = json::OptString(c, "code").value_or("");
    comp.name = json::OptString(c, "name").value_or("");
    comp.name_en = json::OptString(c, "name_en").value_or("");
    comp.required = json::OptBool(c, "required", true);
    comp.copies = static_cast<int>(json::OptInt(c, "copies").value_or(1));
    comp.paper_type = json::OptString(c, "paper_type").value_or("original");
    comp.doc_type = json::OptString(c, "doc_type").value_or("");
    if (auto accepts = json::Array(c, "accepts")) {
      for (const auto& a : **accepts) {
        if (!a.is_string() || !IsDocType(a.get_string())) {
          return Fail(Invalid(p.code, "component " + comp.code + ": bad accepts"));
        }
        comp.accepts.emplace_back(a.get_string());
      }
    } else if (!comp.doc_type.empty()) {
      comp.accepts.push_back(comp.doc_type);
    }
    if (!comp.doc_type.empty() && !IsDocType(comp.doc_type)) {
      return Fail(Invalid(p.code, "component " + comp.code + ": bad doc_type"));
    }
    if (comp.code.empty() || comp.name.empty() || !comp_codes.insert(comp.code).second) {
      return Fail(Invalid(p.code, "component needs a unique code and a name"));
    }
    p.components.push_back(std::move(comp));
  }
  auto steps = json::Array(o, "steps");
  if (!steps || (*steps)->empty()) return Fail(Invalid(p.code, "missing steps"));
  int total = 0;
  for (const auto& sv : **steps) {
    if (!sv.is_object()) return Fail(Invalid(p.code, "step not an object"));
    const auto& s = sv.get_object();
    Step step;
    step.code = json::OptString(s, "code").value_or("");
    step.name = json::OptString(s, "name").value_or("");
    step.name_en = json::OptString(s, "name_en").value_or("");
    step.role = json::OptString(s, "role").value_or("");
    step.unit = json::OptString(s, "unit").value_or("");
    step.share = static_cast<int>(json::OptInt(s, "share").value_or(0));
    if (step.code.empty() || step.role.empty() ||
        (step.unit != "receiving" && step.unit != "competent")) {
      return Fail(Invalid(p.code, "step needs code, role and unit receiving|competent"));
    }
    if (step.share <= 0) return Fail(Invalid(p.code, "step share must be > 0: " + step.code));
    total += step.share;
    p.steps.push_back(std::move(step));
  }
  if (total != 100) return Fail(Invalid(p.code, "step shares must sum to 100"));
  if (auto r = json::Object(o, "result"); r) {
    p.result_name = json::OptString(**r, "name").value_or("");
    p.result_is_paper = json::OptBool(**r, "paper", true);
    p.result_doc_type = json::OptString(**r, "doc_type").value_or("");
    p.result_valid_months = static_cast<int>(json::OptInt(**r, "valid_months").value_or(0));
    if (!p.result_doc_type.empty() && !IsDocType(p.result_doc_type)) {
      return Fail(Invalid(p.code, "result: bad doc_type"));
    }
    if (p.result_valid_months < 0 || p.result_valid_months > 1200) {
      return Fail(Invalid(p.code, "result: valid_months 0..1200"));
    }
  }
  return p;
}

Result<ProcedureCatalog> ProcedureCatalog::FromProcedures(std::vector<Procedure> procedures) {
  ProcedureCatalog c;
  c.procedures_ = std::move(procedures);
  for (size_t i = 0; i < c.procedures_.size(); ++i) {
    if (!c.index_.emplace(c.procedures_[i].code, i).second) {
      return Fail(Invalid(c.procedures_[i].code, "duplicate code"));
    }
  }
  return c;
}

Result<ProcedureCatalog> ProcedureCatalog::FromJson(const boost::json::value& doc) {
  auto root = json::Object(doc, "catalogue");
  if (!root) return std::unexpected(root.error());
  auto arr = json::Array(**root, "procedures");
  if (!arr) return std::unexpected(arr.error());
  std::vector<Procedure> out;
  for (const auto& v : **arr) {
    if (!v.is_object()) return Fail(Invalid("?", "procedure not an object"));
    auto p = Procedure::FromJson(v.get_object());
    if (!p) return std::unexpected(p.error());
    out.push_back(std::move(*p));
  }
  return FromProcedures(std::move(out));
}

const Procedure* ProcedureCatalog::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &procedures_[it->second];
}

}  // namespace motcua::domain
