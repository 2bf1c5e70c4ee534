#include "ocr/fields.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <unordered_map>
#include <vector>

namespace motcua::ocr {
namespace {

// ---- UTF-8 ----

// The code point at s[i], advancing i; nullopt (and one byte skipped) on an invalid sequence.
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3;
    cp = b0 & 0x07;
  } else {
    ++i;
    return std::nullopt;
  }
  if (i + n >= s.size()) {
    ++i;
    return std::nullopt;
  }
  for (size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++i;
    return std::nullopt;
  }
  i += n + 1;
  return cp;
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// ---- The Vietnamese vowels: 12 rows (base letter + modifier) × 6 tones ----

constexpr char32_t kBreve = 0x0306, kCircumflex = 0x0302, kHorn = 0x031B;

struct Row {
  char base;
  char32_t modifier;  // 0, breve, circumflex or horn
  const char* lower;  // no tone, grave, acute, hook above, tilde, dot below
  const char* upper;
};
constexpr std::array<Row, 12> kRows = {{
    {'a', 0, "aàáảãạ", "AÀÁẢÃẠ"},
    {'a', kBreve, "ăằắẳẵặ", "ĂẰẮẲẴẶ"},
    {'a', kCircumflex, "âầấẩẫậ", "ÂẦẤẨẪẬ"},
    {'e', 0, "eèéẻẽẹ", "EÈÉẺẼẸ"},
    {'e', kCircumflex, "êềếểễệ", "ÊỀẾỂỄỆ"},
    {'i', 0, "iìíỉĩị", "IÌÍỈĨỊ"},
    {'o', 0, "oòóỏõọ", "OÒÓỎÕỌ"},
    {'o', kCircumflex, "ôồốổỗộ", "ÔỒỐỔỖỘ"},
    {'o', kHorn, "ơờớởỡợ", "ƠỜỚỞỠỢ"},
    {'u', 0, "uùúủũụ", "UÙÚỦŨỤ"},
    {'u', kHorn, "ưừứửữự", "ƯỪỨỬỮỰ"},
    {'y', 0, "yỳýỷỹỵ", "YỲÝỶỸỴ"},
}};

struct Letter {
  int row = 0;
  int tone = 0;
  bool upper = false;
};

struct Tables {
  std::unordered_map<char32_t, Letter> letters;
  std::array<std::array<std::array<char32_t, 2>, 6>, kRows.size()> grid{};

  Tables() {
    for (size_t r = 0; r < kRows.size(); ++r) {
      for (int upper = 0; upper < 2; ++upper) {
        std::string_view s = upper ? kRows[r].upper : kRows[r].lower;
        size_t i = 0;
        for (int tone = 0; tone < 6 && i < s.size(); ++tone) {
          const char32_t cp = *NextCodePoint(s, i);
          grid[r][static_cast<size_t>(tone)][static_cast<size_t>(upper)] = cp;
          letters[cp] = Letter{static_cast<int>(r), tone, upper == 1};
        }
      }
    }
  }
  static int RowOf(char base, char32_t modifier) {
    for (size_t r = 0; r < kRows.size(); ++r) {
      if (kRows[r].base == base && kRows[r].modifier == modifier) return static_cast<int>(r);
    }
    return -1;
  }
  char32_t At(int row, int tone, bool upper) const {
    return grid[static_cast<size_t>(row)][static_cast<size_t>(tone)][upper ? 1 : 0];
  }
};

const Tables& T() {
  static const Tables t;
  return t;
}

// The tone index (1–5) of a combining tone mark, else 0.
int ToneOf(char32_t mark) {
  switch (mark) {
    case 0x0300:
    case 0x0340:
      return 1;
    case 0x0301:
    case 0x0341:
      return 2;
    case 0x0309:
      return 3;
    case 0x0303:
      return 4;
    case 0x0323:
      return 5;
    default:
      return 0;
  }
}

bool IsModifier(char32_t mark) { return mark == kBreve || mark == kCircumflex || mark == kHorn; }
bool IsCombining(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x3000;
}

// The ASCII letter a code point folds to (lower case), or 0 when it is not a Latin letter.
char FoldLetter(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return static_cast<char>(cp);
  if (cp >= 'A' && cp <= 'Z') return static_cast<char>(cp - 'A' + 'a');
  if (cp == 0x0111 || cp == 0x0110 || cp == 0x00D0 || cp == 0x00F0) return 'd';  // đ Đ Ð ð
  const auto& letters = T().letters;
  if (auto it = letters.find(cp); it != letters.end()) return kRows[it->second.row].base;
  return 0;
}

// ---- The label space: folded text with punctuation as spaces, mapped back to the original ----

// key[i] is ASCII [a-z0-9], ' ' or '\n'; origin[i] is the byte offset in the text of the code
// point that produced it; origin[key.size()] == text.size().
struct Keyed {
  std::string key;
  std::vector<size_t> origin;
};

Keyed KeyOf(std::string_view text) {
  Keyed k;
  size_t i = 0;
  auto push = [&](char c, size_t at) {
    if (c == ' ' || c == '\n') {
      if (k.key.empty()) return;
      if (k.key.back() == '\n') return;
      if (k.key.back() == ' ') {
        if (c == '\n') k.key.back() = '\n';
        return;
      }
    }
    k.key += c;
    k.origin.push_back(at);
  };
  while (i < text.size()) {
    const size_t at = i;
    auto cp = NextCodePoint(text, i);
    if (!cp) continue;
    if (IsCombining(*cp)) continue;
    if (*cp == '\n' || *cp == '\f' || *cp == '\r') {
      push('\n', at);
    } else if (char c = FoldLetter(*cp); c != 0) {
      push(c, at);
    } else if (*cp >= '0' && *cp <= '9') {
      push(static_cast<char>(*cp), at);
    } else {
      push(' ', at);
    }
  }
  k.origin.push_back(text.size());
  return k;
}

bool Boundary(const std::string& key, size_t at) {
  return at == 0 || at >= key.size() || key[at] == ' ' || key[at] == '\n' || key[at - 1] == ' ' ||
         key[at - 1] == '\n';
}

// Whether `label` occurs at `at` as whole words.
bool LabelAt(const std::string& key, size_t at, std::string_view label) {
  if (key.compare(at, label.size(), label) != 0) return false;
  const bool before = at == 0 || key[at - 1] == ' ' || key[at - 1] == '\n';
  const size_t end = at + label.size();
  const bool after = end >= key.size() || key[end] == ' ' || key[end] == '\n';
  return before && after;
}

// The longest of `labels` at `at`, or 0.
size_t AnyLabelAt(const std::string& key, size_t at, const std::vector<std::string_view>& labels) {
  size_t best = 0;
  for (std::string_view l : labels) {
    if (l.size() > best && LabelAt(key, at, l)) best = l.size();
  }
  return best;
}

struct FieldSpec {
  std::vector<std::string_view> labels;  // Vietnamese and English, in the label space
  // Words right after the label that mean it is someone else's (the parents on a birth
  // certificate: "Họ, chữ đệm, tên người mẹ").
  std::vector<std::string_view> not_followed_by;
};

const FieldSpec kIdNumber{
    {"so dinh danh ca nhan", "personal identification number", "so no", "so cccd", "so can cuoc",
     "so the can cuoc", "identity card no", "so cmnd", "no"},
    {}};
const FieldSpec kFullName{
    {"ho va ten", "ho chu dem ten", "ho chu dem va ten", "ho ten", "full name", "name"},
    {"nguoi", "cha", "me", "vo", "chong", "bo"}};
const FieldSpec kDateOfBirth{{"ngay sinh", "ngay thang nam sinh", "sinh ngay", "date of birth"},
                             {"cha", "me", "nguoi"}};
const FieldSpec kSex{{"gioi tinh", "sex"}, {}};
const FieldSpec kNationality{{"quoc tich", "nationality"}, {"cha", "me", "nguoi"}};
const FieldSpec kOrigin{{"que quan", "place of origin", "noi sinh", "place of birth"}, {}};
const FieldSpec kResidence{{"noi thuong tru", "place of residence", "noi cu tru", "thuong tru"},
                           {"cha", "me", "nguoi"}};

// Labels that end a value on the same line, besides the fields' own.
const std::vector<std::string_view>& Stoppers() {
  static const std::vector<std::string_view> s = [] {
    std::vector<std::string_view> v = {"dan toc",           "ethnicity",    "co gia tri den",
                                       "date of expiry",    "ghi bang chu", "ton giao",
                                       "dac diem nhan dang"};
    for (const FieldSpec* f :
         {&kIdNumber, &kFullName, &kDateOfBirth, &kSex, &kNationality, &kOrigin, &kResidence}) {
      for (std::string_view l : f->labels) {
        if (l != "no" && l != "name") v.push_back(l);  // too common inside values
      }
    }
    return v;
  }();
  return s;
}

struct Span {
  size_t begin = 0;  // in the label space
  size_t end = 0;
};

// The value behind the first acceptable label of `spec`: the rest of its line up to the next
// label, or the next line when the rest is empty. `from` lets a caller look past an earlier hit.
std::optional<Span> FindValue(const Keyed& k, const FieldSpec& spec, size_t from = 0) {
  const std::string& key = k.key;
  for (size_t at = from; at < key.size(); ++at) {
    if (!Boundary(key, at) || (at > 0 && key[at - 1] != ' ' && key[at - 1] != '\n')) continue;
    size_t len = AnyLabelAt(key, at, spec.labels);
    if (len == 0) continue;
    size_t end = at + len;
    // "Họ và tên / Full name": the second label of the same field, then the value.
    for (;;) {
      while (end < key.size() && key[end] == ' ') ++end;
      const size_t more = AnyLabelAt(key, end, spec.labels);
      if (more == 0) break;
      end += more;
    }
    bool someone_else = false;
    for (std::string_view w : spec.not_followed_by) {
      if (LabelAt(key, end, w)) someone_else = true;
    }
    if (someone_else) continue;
    if (end < key.size() && key[end] == '\n') ++end;  // the value is on the next line
    while (end < key.size() && key[end] == ' ') ++end;
    Span s{end, end};
    while (s.end < key.size() && key[s.end] != '\n') {
      if (Boundary(key, s.end) && s.end > s.begin && key[s.end - 1] == ' ' &&
          AnyLabelAt(key, s.end, Stoppers()) != 0) {
        break;
      }
      ++s.end;
    }
    while (s.end > s.begin && key[s.end - 1] == ' ') --s.end;
    if (s.end == s.begin) continue;
    return s;
  }
  return std::nullopt;
}

std::string_view Original(std::string_view text, const Keyed& k, Span s) {
  return text.substr(k.origin[s.begin], k.origin[s.end] - k.origin[s.begin]);
}

// ---- Digits as OCR reads them ----

char DigitFor(char c) {
  if (c >= '0' && c <= '9') return c;
  switch (c) {
    case 'O':
    case 'o':
    case 'Q':
    case 'D':
      return '0';
    case 'l':
    case 'I':
    case '|':
    case '!':
      return '1';
    case 'S':
      return '5';
    case 'B':
      return '8';
    case 'Z':
      return '2';
    default:
      return 0;
  }
}

// `s` with the look-alike letters of every digit run turned into digits: a run (letters that
// may be digits, digits, and / . -) is mapped only when it holds at least one real digit, so
// words are left alone. Sets *corrected when anything changed.
std::string MapDigitRuns(std::string_view s, bool* corrected) {
  std::string out(s);
  size_t i = 0;
  while (i < s.size()) {
    auto part = [&](char c) { return DigitFor(c) != 0 || c == '/' || c == '.' || c == '-'; };
    if (!part(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    bool real = false;
    while (j < s.size() && part(s[j])) real |= (s[j] >= '0' && s[j] <= '9'), ++j;
    // A run glued to other letters ("ON" in "ONG") is a word, not a number.
    const auto letter = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             static_cast<unsigned char>(c) >= 0x80;
    };
    const bool glued = (i > 0 && letter(s[i - 1])) || (j < s.size() && letter(s[j]));
    if (real && !glued) {
      for (size_t k = i; k < j; ++k) {
        const char d = DigitFor(s[k]);
        if (d != 0 && d != s[k]) {
          out[k] = d;
          *corrected = true;
        }
      }
    }
    i = j;
  }
  return out;
}

// A 12-digit number in `s` (tokens split by white space and punctuation other than digits'
// look-alikes, consecutive tokens joined when OCR split the number).
std::optional<std::string> TwelveDigits(std::string_view s, bool* corrected) {
  bool mapped = false;
  const std::string m = MapDigitRuns(s, &mapped);
  std::vector<std::pair<std::string, bool>> tokens;  // digits, and whether followed by a space
  std::string cur;
  for (size_t i = 0; i <= m.size(); ++i) {
    const char c = i < m.size() ? m[i] : ' ';
    if (c >= '0' && c <= '9') {
      cur += c;
    } else {
      if (!cur.empty()) tokens.emplace_back(cur, c == ' ');
      if (c != ' ' && !cur.empty()) tokens.emplace_back("", false);  // a hard break
      cur.clear();
    }
  }
  for (size_t a = 0; a < tokens.size(); ++a) {
    std::string joined;
    for (size_t b = a; b < tokens.size() && !tokens[b].first.empty(); ++b) {
      joined += tokens[b].first;
      if (joined.size() == 12) {
        *corrected = mapped || b > a;
        return joined;
      }
      if (joined.size() > 12 || !tokens[b].second) break;
    }
  }
  return std::nullopt;
}

bool ValidDate(int y, int m, int d) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string Iso(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// The first dd/mm/yyyy (separators / . -, spaces around them tolerated) in `s`.
std::optional<std::string> NumericDate(std::string_view s, bool* corrected) {
  bool mapped = false;
  const std::string m = MapDigitRuns(s, &mapped);
  auto digit = [&](size_t i) { return i < m.size() && m[i] >= '0' && m[i] <= '9'; };
  for (size_t i = 0; i < m.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    size_t p = i;
    auto number = [&](int min_len, int max_len) -> std::optional<int> {
      int v = 0, n = 0;
      while (n < max_len && digit(p)) v = v * 10 + (m[p++] - '0'), ++n;
      if (n < min_len || digit(p)) return std::nullopt;
      return v;
    };
    auto separator = [&] {
      while (p < m.size() && m[p] == ' ') ++p;
      if (p >= m.size() || (m[p] != '/' && m[p] != '.' && m[p] != '-')) return false;
      ++p;
      while (p < m.size() && m[p] == ' ') ++p;
      return true;
    };
    auto d = number(1, 2);
    if (!d || !separator()) continue;
    auto mo = number(1, 2);
    if (!mo || !separator()) continue;
    auto y = number(4, 4);
    if (!y || !ValidDate(*y, *mo, *d)) continue;
    *corrected = mapped;
    return Iso(*y, *mo, *d);
  }
  return std::nullopt;
}

// "[ngày] 01 tháng 02 năm 1990", in the label space.
std::optional<std::string> WordedDate(std::string_view key) {
  for (size_t at = 0; at < key.size(); ++at) {
    if (key[at] < '0' || key[at] > '9' || (at > 0 && key[at - 1] != ' ')) continue;
    int d = 0, m = 0, y = 0;
    const std::string chunk(key.substr(at, 32));
    if (std::sscanf(chunk.c_str(), "%d thang %d nam %d", &d, &m, &y) == 3 && ValidDate(y, m, d)) {
      return Iso(y, m, d);
    }
  }
  return std::nullopt;
}

bool IsLetter(char32_t cp) { return FoldLetter(cp) != 0; }

bool IsUpperLetter(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return true;
  if (cp == 0x0110) return true;  // Đ
  const auto& letters = T().letters;
  auto it = letters.find(cp);
  return it != letters.end() && it->second.upper;
}

// A person's name as printed: letters and single spaces, upper case; at least two words. On a
// card printed in capitals, words with small letters are scanner noise ("NGUYỄN VĂN AN h").
std::optional<std::string> CleanName(std::string_view raw, bool* corrected) {
  std::vector<std::string> words(1);
  std::vector<bool> has_lower(1, false);
  size_t i = 0;
  while (i < raw.size()) {
    auto cp = NextCodePoint(raw, i);
    if (!cp) continue;
    if (IsLetter(*cp) || (IsCombining(*cp) && !words.back().empty())) {
      Append(words.back(), *cp);
      if (IsLetter(*cp) && !IsUpperLetter(*cp)) has_lower.back() = true;
      continue;
    }
    // Stray marks around or inside the name ("|", "`", "“") are OCR noise.
    if (!IsSpace(*cp) && *cp != ':' && *cp != '.' && *cp != ',') *corrected = true;
    if (!words.back().empty()) {
      words.emplace_back();
      has_lower.push_back(false);
    }
  }
  size_t capitals = 0;
  for (size_t w = 0; w < words.size(); ++w) {
    if (!words[w].empty() && !has_lower[w]) ++capitals;
  }
  std::string out;
  for (size_t w = 0; w < words.size(); ++w) {
    if (words[w].empty()) continue;
    if (capitals >= 2 && has_lower[w]) {
      *corrected = true;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += words[w];
  }
  size_t count = out.empty() ? 0 : 1;
  for (char c : out) count += c == ' ';
  if (count < 2 || out.size() > 120) return std::nullopt;
  return UpperVietnamese(out);
}

// A value without the noise around it: leading and trailing code points that are neither
// letters nor digits (quotes, dashes, "¬", "_") removed, white space folded.
std::string Trimmed(std::string_view s) {
  size_t i = 0, first = std::string_view::npos, last = 0;
  while (i < s.size()) {
    const size_t at = i;
    auto cp = NextCodePoint(s, i);
    if (!cp) continue;
    const bool solid = IsLetter(*cp) || (*cp >= '0' && *cp <= '9') || *cp == ')' ||
                       (IsCombining(*cp) && first != std::string_view::npos);
    if (solid) {
      if (first == std::string_view::npos) first = at;
      last = i;
    }
  }
  if (first == std::string_view::npos) return {};
  std::string out;
  bool space = false;
  for (char c : s.substr(first, last - first)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

Field Found(std::string value, double confidence) {
  return Field{true, std::move(value), confidence};
}

// The document's kind by the title that comes first.
std::string KindOf(const std::string& key) {
  static const std::vector<std::string_view> card = {"can cuoc cong dan", "citizen identity card",
                                                     "can cuoc", "identity card",
                                                     "chung minh nhan dan"};
  static const std::vector<std::string_view> birth = {"giay khai sinh", "birth certificate",
                                                      "trich luc khai sinh"};
  for (size_t at = 0; at < key.size(); ++at) {
    if (at > 0 && key[at - 1] != ' ' && key[at - 1] != '\n') continue;
    if (AnyLabelAt(key, at, card) != 0) return "citizen_id_card";
    if (AnyLabelAt(key, at, birth) != 0) return "birth_certificate";
  }
  return "unknown";
}

}  // namespace

std::string ComposeVietnamese(std::string_view utf8) {
  const Tables& t = T();
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    auto cp = NextCodePoint(utf8, i);
    if (!cp) continue;
    int row = -1, tone = 0;
    bool upper = false;
    if (auto it = t.letters.find(*cp); it != t.letters.end()) {
      row = it->second.row;
      tone = it->second.tone;
      upper = it->second.upper;
    }
    if (row < 0) {
      Append(out, *cp);
      continue;
    }
    // Absorb the combining marks that make a Vietnamese letter; keep any other.
    std::string kept;
    while (i < utf8.size()) {
      size_t next = i;
      auto mark = NextCodePoint(utf8, next);
      if (!mark || !IsCombining(*mark)) break;
      const int mark_tone = ToneOf(*mark);
      if (mark_tone != 0 && tone == 0) {
        tone = mark_tone;
      } else if (IsModifier(*mark) && kRows[row].modifier == 0 &&
                 Tables::RowOf(kRows[row].base, *mark) >= 0) {
        row = Tables::RowOf(kRows[row].base, *mark);
      } else {
        Append(kept, *mark);
      }
      i = next;
    }
    Append(out, t.At(row, tone, upper));
    out += kept;
  }
  return out;
}

std::string UpperVietnamese(std::string_view utf8) {
  const Tables& t = T();
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    auto cp = NextCodePoint(utf8, i);
    if (!cp) continue;
    char32_t c = *cp;
    if (c >= 'a' && c <= 'z') {
      c = c - 'a' + 'A';
    } else if (c == 0x0111) {
      c = 0x0110;
    } else if (auto it = t.letters.find(c); it != t.letters.end() && !it->second.upper) {
      c = t.At(it->second.row, it->second.tone, true);
    }
    Append(out, c);
  }
  return out;
}

std::string FoldVietnamese(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending = false;
  size_t i = 0;
  while (i < utf8.size()) {
    auto cp = NextCodePoint(utf8, i);
    if (!cp || IsCombining(*cp)) continue;
    if (IsSpace(*cp)) {
      pending = true;
      continue;
    }
    if (pending && !out.empty()) out += ' ';
    pending = false;
    if (char c = FoldLetter(*cp); c != 0) {
      out += c;
    } else {
      Append(out, *cp);
    }
  }
  return out;
}

ExtractedFields ExtractFields(std::string_view raw) {
  const std::string text = ComposeVietnamese(raw);
  const Keyed k = KeyOf(text);
  ExtractedFields f;
  f.kind = KindOf(k.key);

  // The number behind its label, else the first lone 12-digit number anywhere.
  bool have_id = false;
  for (size_t from = 0; !have_id;) {
    auto span = FindValue(k, kIdNumber, from);
    if (!span) break;
    bool corrected = false;
    if (auto id = TwelveDigits(Original(text, k, *span), &corrected)) {
      f.id_number = Found(*id, corrected ? 0.8 : 1.0);
      have_id = true;
    }
    from = span->begin + 1;
  }
  if (!have_id) {
    size_t line_start = 0;
    while (line_start <= text.size() && !have_id) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string::npos) line_end = text.size();
      bool corrected = false;
      if (auto id = TwelveDigits(std::string_view(text).substr(line_start, line_end - line_start),
                                 &corrected)) {
        f.id_number = Found(*id, 0.5);
        have_id = true;
      }
      line_start = line_end + 1;
    }
  }

  for (size_t from = 0;;) {
    auto span = FindValue(k, kFullName, from);
    if (!span) break;
    bool corrected = false;
    if (auto name = CleanName(Original(text, k, *span), &corrected)) {
      f.full_name = Found(*name, corrected ? 0.8 : 1.0);
      break;
    }
    from = span->begin + 1;
  }

  if (auto span = FindValue(k, kDateOfBirth)) {
    bool corrected = false;
    if (auto d = NumericDate(Original(text, k, *span), &corrected)) {
      f.date_of_birth = Found(*d, corrected ? 0.8 : 1.0);
    } else if (auto w = WordedDate(
                   std::string_view(k.key).substr(span->begin, span->end - span->begin))) {
      f.date_of_birth = Found(*w, 1.0);
    }
  }

  if (auto span = FindValue(k, kSex)) {
    std::string_view v = std::string_view(k.key).substr(span->begin, span->end - span->begin);
    if (v == "nam" || v.starts_with("nam ") || v == "male") {
      f.sex = Found("Nam", 1.0);
    } else if (v == "nu" || v.starts_with("nu ") || v == "female") {
      f.sex = Found("Nữ", 1.0);
    }
  }
  auto text_field = [&](const FieldSpec& spec) -> Field {
    auto span = FindValue(k, spec);
    if (!span) return {};
    std::string v = Trimmed(Original(text, k, *span));
    if (v.empty()) return {};
    return Found(std::move(v), 1.0);
  };
  f.nationality = text_field(kNationality);
  f.place_of_origin = text_field(kOrigin);
  f.place_of_residence = text_field(kResidence);
  return f;
}

}  // namespace motcua::ocr
