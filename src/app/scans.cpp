#include "app/scans.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "app/audit.h"
#include "app/files.h"
#include "app/projection.h"
#include "base/json.h"
#include "ocr/fields.h"

namespace motcua::app {

namespace bj = boost::json;

namespace {

constexpr const char* kKeyFields[] = {"id_number", "full_name", "date_of_birth"};
constexpr const char* kOtherFields[] = {"sex", "nationality", "place_of_origin",
                                        "place_of_residence"};
constexpr int kMaxSearchScan = 2000;  // text rows looked at per search, at most

Error BadField(std::string_view name, std::string detail) {
  Error e{ErrorCode::kInvalidArgument, "scan.bad_field", std::move(detail), {}};
  e.With("field", std::string(name.substr(0, 64)));
  return e;
}

// Decodes one UTF-8 code point at s[i] (advancing i); -1 when invalid.
int32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return -1;
  int32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

// A letter of a Vietnamese name: ASCII, Latin-1 and Latin Extended letters (Đ, Ơ, Ư …), the
// Vietnamese block (Latin Extended Additional: Ạ … ỹ), and combining marks.
bool IsNameLetter(int32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
  if (cp >= 0xC0 && cp <= 0x24F) return cp != 0xD7 && cp != 0xF7;
  if (cp >= 0x300 && cp <= 0x36F) return true;
  return cp >= 0x1E00 && cp <= 0x1EFF;
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// The first line of `text` whose fold holds `term`, cut to 160 bytes at a character boundary.
std::string Snippet(const std::string& text, const std::string& term) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\n\f", start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (ocr::FoldVietnamese(line).find(term) != std::string::npos) {
      std::string out = line;
      if (out.size() > 160) {
        size_t cut = 160;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
      }
      return out;
    }
    start = end + 1;
  }
  return "";
}

}  // namespace

bool IsConfirmableField(std::string_view name) {
  for (const char* f : kKeyFields) {
    if (name == f) return true;
  }
  for (const char* f : kOtherFields) {
    if (name == f) return true;
  }
  return false;
}

bool IsDocumentKind(std::string_view kind) {
  return kind == "citizen_id_card" || kind == "birth_certificate" || kind == "unknown";
}

Result<std::string> NormaliseField(std::string_view name, std::string_view value, CivilDate today) {
  if (name == "id_number") {
    if (value.size() != 12 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Fail(BadField(name, "12 digits"));
    }
    return std::string(value);
  }
  if (name == "full_name") {
    if (value.empty() || value.size() > 100) return Fail(BadField(name, "1..100 bytes"));
    size_t i = 0;
    int words = 0;
    bool in_word = false;
    while (i < value.size()) {
      if (value[i] == ' ') {
        if (!in_word) return Fail(BadField(name, "single spaces between words"));
        in_word = false;
        ++i;
        continue;
      }
      const int32_t cp = NextCodePoint(value, i);
      if (cp < 0 || !IsNameLetter(cp)) return Fail(BadField(name, "letters only"));
      if (!in_word) ++words;
      in_word = true;
    }
    if (!in_word) return Fail(BadField(name, "single spaces between words"));
    if (words < 2) return Fail(BadField(name, "two words or more"));
    return ocr::UpperVietnamese(ocr::ComposeVietnamese(value));
  }
  if (name == "date_of_birth") {
    CivilDate d;
    bool ok = false;
    if (value.size() == 10 && value[4] == '-' && value[7] == '-') {
      ok = ParseInt(value.substr(0, 4), d.year) && ParseInt(value.substr(5, 2), d.month) &&
           ParseInt(value.substr(8, 2), d.day);
    } else if (value.size() == 10 && value[2] == '/' && value[5] == '/') {
      ok = ParseInt(value.substr(6, 4), d.year) && ParseInt(value.substr(3, 2), d.month) &&
           ParseInt(value.substr(0, 2), d.day);
    }
    if (!ok || !IsValidCivil(d) || d.year < 1900 || d > today) {
      return Fail(BadField(name, "a real date dd/mm/yyyy from 1900 to today"));
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return std::string(buf);
  }
  if (name == "sex") {
    if (value == "Nam" || value == "Nữ") return std::string(value);
    return Fail(BadField(name, "Nam or Nữ"));
  }
  if (value.empty() || value.size() > 200) return Fail(BadField(name, "1..200 bytes"));
  size_t i = 0;
  while (i < value.size()) {
    const int32_t cp = NextCodePoint(value, i);
    if (cp < 0x20 || cp == 0x7F) return Fail(BadField(name, "one line of text"));
  }
  return std::string(value);
}

Result<bool> Scans::MayReadDossier(const Actor& actor, const std::string& code) {
  auto row = store_.GetDossier(code);
  if (!row) return std::unexpected(row.error());
  if (!*row) return false;
  auto doc = json::Parse((*row)->doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", code);
  auto d = domain::Dossier::FromJson(doc->get_object());
  if (!d) return std::unexpected(d.error());
  const Access& access = lifecycle_.access();
  return access.Check(actor, "dossier.read", access.TargetOf(actor, *d)).has_value();
}

Result<OcrView> Scans::ViewOf(const std::string& file) {
  OcrView v;
  v.file = file;
  for (const char* f : kKeyFields) v.fields.emplace_back(f, OcrFieldValue{});
  auto meta = store_.GetCatalog("ocr", file);
  if (!meta) return std::unexpected(meta.error());
  if (*meta) {
    auto doc = json::Parse((*meta)->doc);
    if (doc && doc->is_object()) {
      const bj::object& o = doc->get_object();
      v.state = json::OptString(o, "state").value_or("pending");
      if (auto e = o.find("error"); e != o.end() && e->value().is_object()) {
        v.error_code = json::OptString(e->value().get_object(), "code").value_or("");
      }
    }
  }
  auto text = store_.GetText(kOcrTextKind, file);
  if (!text) return std::unexpected(text.error());
  if (*text) {
    auto rec = OcrRecord::FromRow(**text);
    if (!rec) return std::unexpected(rec.error());
    if (rec->recognised) {
      v.kind = rec->kind;
      v.mean_confidence = rec->mean_confidence;
      v.pages = std::move(rec->pages);
      for (auto& [name, value] : rec->fields) {
        auto it = std::find_if(v.fields.begin(), v.fields.end(),
                               [&](const auto& f) { return f.first == name; });
        if (it != v.fields.end()) {
          it->second = value;
        } else {
          v.fields.emplace_back(name, value);
        }
      }
    }
    v.confirmed = std::move(rec->confirmed);
  }
  return v;
}

Result<OcrView> Scans::GetOwn(const Actor& actor, const std::string& file) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = lifecycle_.access().Check(actor, "file.read_own", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto f = FindFile(store_, file);
  if (!f) return std::unexpected(f.error());
  if (!*f || actor.account.empty() || (*f)->owner != actor.account) {
    return Fail(ErrorCode::kNotFound, "file.not_found", file.substr(0, 64));
  }
  return ViewOf(file);
}

Result<OcrView> Scans::GetInDossier(const Actor& actor, const std::string& code,
                                    const std::string& file) {
  auto view = lifecycle_.Get(actor, code);
  if (!view) return std::unexpected(view.error());
  for (const domain::ComponentRecord& comp : view->dossier.components) {
    for (const domain::FileRef& ref : comp.files) {
      if (ref.id == file) return ViewOf(file);
    }
  }
  return Fail(ErrorCode::kNotFound, "file.not_found", file.substr(0, 64));
}

Result<OcrView> Scans::Confirm(const Actor& actor, const std::string& file, const std::string& kind,
                               const std::vector<std::pair<std::string, std::string>>& fields) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = lifecycle_.access().Check(actor, "file.confirm_fields", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto f = FindFile(store_, file);
  if (!f) return std::unexpected(f.error());
  if (!*f || actor.account.empty() || (*f)->owner != actor.account) {
    return Fail(ErrorCode::kNotFound, "file.not_found", file.substr(0, 64));
  }
  if (!IsDocumentKind(kind))
    return Fail(ErrorCode::kInvalidArgument, "scan.bad_kind", kind.substr(0, 64));
  if (fields.empty()) return Fail(ErrorCode::kInvalidArgument, "scan.no_fields");
  const Timestamp now = clock_.Now();
  const CivilDate today = ToVietnamLocal(now).date;
  ConfirmedFields confirmed;
  confirmed.kind = kind;
  confirmed.by = actor.Ref();
  confirmed.at = now;
  bj::array names;
  for (const auto& [name, value] : fields) {
    if (!IsConfirmableField(name)) {
      Error e{ErrorCode::kInvalidArgument, "scan.unknown_field", name.substr(0, 64), {}};
      e.With("field", name.substr(0, 64));
      return std::unexpected(e);
    }
    auto v = NormaliseField(name, value, today);
    if (!v) return std::unexpected(v.error());
    confirmed.fields.emplace_back(name, std::move(*v));
    names.push_back(bj::string(name));
  }
  auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
    auto existing = tx.GetText(kOcrTextKind, file);
    if (!existing) return std::unexpected(existing.error());
    OcrRecord rec;
    rec.file = file;
    rec.owner = (*f)->owner;
    if (*existing) {
      auto old = OcrRecord::FromRow(**existing);
      if (!old) return std::unexpected(old.error());
      rec = std::move(*old);
    }
    rec.confirmed = confirmed;
    NewEvent n;
    n.stream = "file/" + file;
    n.type = "FileFieldsConfirmed";
    n.unit = actor.unit;
    n.actor = actor.Ref();
    n.at = now;
    // The names only: the values are personal data (the private row below).
    n.payload = bj::object{{"file", file}, {"kind", kind}, {"fields", names}};
    auto e = tx.Append(std::move(n));
    if (!e) return std::unexpected(e.error());
    if (auto p = Project(tx, *e, false); !p) return p;
    if (auto p = tx.PutText(rec.ToRow()); !p) return p;
    return AuditInTx(tx, actor, {"file.confirm_fields", "file/" + file, actor.unit}, now, e->seq,
                     e->seq);
  });
  if (!r) return std::unexpected(r.error());
  return ViewOf(file);
}

Result<std::vector<ScanHit>> Scans::Search(const Actor& actor, const std::string& query,
                                           int limit) {
  const domain::Target target{{actor.unit}, true};
  if (auto allowed = lifecycle_.access().Check(actor, "scan.search", target); !allowed) {
    return std::unexpected(allowed.error());
  }
  const std::string folded = ocr::FoldVietnamese(query);
  std::vector<std::string> terms;
  for (size_t start = 0; start < folded.size();) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) {
      std::string t = folded.substr(start, end - start);
      if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(std::move(t));
    }
    start = end + 1;
  }
  if (terms.empty() || terms.size() > store::kMaxSearchTerms) {
    return Fail(ErrorCode::kInvalidArgument, "scan.bad_query", "1..16 words");
  }
  limit = std::clamp(limit, 1, 100);
  std::vector<ScanHit> hits;
  std::map<std::string, bool> readable;  // dossier code → may the actor read it
  std::string after;
  int scanned = 0;
  while (static_cast<int>(hits.size()) < limit && scanned < kMaxSearchScan) {
    auto rows = store_.SearchText(kOcrTextKind, terms, after, 100);
    if (!rows) return std::unexpected(rows.error());
    for (const store::TextRow& row : *rows) {
      ++scanned;
      after = row.key;
      std::optional<std::string> dossier;
      auto link = store_.GetCatalog("file_dossier", row.key);
      if (!link) return std::unexpected(link.error());
      if (*link) {
        auto doc = json::Parse((*link)->doc);
        if (doc && doc->is_object()) dossier = json::OptString(doc->get_object(), "dossier");
      }
      bool allowed = !actor.account.empty() && row.owner == actor.account;
      if (!allowed && dossier) {
        auto it = readable.find(*dossier);
        if (it == readable.end()) {
          // The dossier read decides, without the audit entry that a refused Lifecycle::Get
          // records: a search is not an attempt on each dossier it skips.
          auto may = MayReadDossier(actor, *dossier);
          if (!may) return std::unexpected(may.error());
          it = readable.emplace(*dossier, *may).first;
        }
        allowed = it->second;
      }
      if (!allowed) continue;
      auto f = FindFile(store_, row.key);
      if (!f) return std::unexpected(f.error());
      ScanHit hit;
      hit.file = row.key;
      hit.dossier = dossier;
      hit.name = *f ? (*f)->ref.name : "";
      hit.snippet = Snippet(row.text, terms.front());
      hits.push_back(std::move(hit));
      if (static_cast<int>(hits.size()) >= limit) break;
    }
    if (rows->size() < 100) break;
  }
  return hits;
}

}  // namespace motcua::app
