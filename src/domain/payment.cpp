#include "domain/payment.h"

#include <algorithm>
#include <array>

namespace motcua::domain {
namespace {

Error FeeError(std::string key, std::string detail, std::string param, std::string value) {
  Error e{ErrorCode::kInvalidArgument, std::move(key), std::move(detail), {}};
  e.With(std::move(param), std::move(value));
  return e;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

constexpr std::array<std::string_view, 10> kDigits = {"không", "một", "hai", "ba",  "bốn",
                                                      "năm",   "sáu", "bảy", "tám", "chín"};

// Three digits as Vietnamese reads them. `full`: the group is not the leading one, so its
// hundreds and the "linh" before a lone unit are said ("không trăm linh năm").
std::string Group(int n, bool full) {
  const int h = n / 100, t = n / 10 % 10, u = n % 10;
  std::string out;
  auto add = [&](std::string_view w) {
    if (!out.empty()) out += ' ';
    out += w;
  };
  if (h > 0 || full) {
    add(kDigits[h]);
    add("trăm");
  }
  if (t == 0) {
    if (u > 0 && (h > 0 || full)) add("linh");
  } else if (t == 1) {
    add("mười");
  } else {
    add(kDigits[t]);
    add("mươi");
  }
  if (u > 0) {
    if (u == 1 && t >= 2) {
      add("mốt");
    } else if (u == 5 && t >= 1) {
      add("lăm");
    } else {
      add(kDigits[u]);
    }
  }
  return out;
}

// Upper-cases the first letter (ASCII or one of the Vietnamese initials used here).
std::string Capitalise(std::string s) {
  static const std::array<std::pair<std::string_view, std::string_view>, 8> kInitials = {{
      {"một", "Một"},
      {"hai", "Hai"},
      {"ba", "Ba"},
      {"bốn", "Bốn"},
      {"năm", "Năm"},
      {"sáu", "Sáu"},
      {"bảy", "Bảy"},
      {"tám", "Tám"},
  }};
  for (const auto& [lower, upper] : kInitials) {
    if (s.starts_with(lower)) return std::string(upper) + s.substr(lower.size());
  }
  if (s.starts_with("chín")) return "Chín" + s.substr(std::string_view("chín").size());
  if (s.starts_with("mười")) return "Mười" + s.substr(std::string_view("mười").size());
  if (s.starts_with("không")) return "Không" + s.substr(std::string_view("không").size());
  if (s.starts_with("âm")) return "Âm" + s.substr(std::string_view("âm").size());
  return s;
}

}  // namespace

Result<FeeQuote> QuoteFees(const Procedure& p, bool online, const FeeCase& c) {
  std::vector<std::string> known;
  for (const Fee& f : p.fees) {
    if (!f.condition.empty()) known.push_back(f.condition);
  }
  for (const auto& cond : c.conditions) {
    if (!Contains(known, cond)) {
      return Fail(FeeError("fee.unknown_condition", p.code + ": " + cond, "condition", cond));
    }
  }
  for (const auto& [unit, q] : c.quantities) {
    if (std::none_of(p.fees.begin(), p.fees.end(), [&](const Fee& f) { return f.per == unit; })) {
      return Fail(FeeError("fee.unknown_quantity", p.code + ": " + unit, "quantity", unit));
    }
    if (q < 0 || q > 100000) {
      return Fail(FeeError("fee.bad_quantity", unit + "=" + std::to_string(q), "quantity", unit));
    }
  }
  if (!c.exemption.empty() && !Contains(p.exemptions, c.exemption)) {
    return Fail(
        FeeError("fee.unknown_exemption", p.code + ": " + c.exemption, "exemption", c.exemption));
  }
  auto applies = [&](const Fee& f) {
    if (f.condition.empty()) return true;
    if (f.condition == "channel_direct") return !online;
    if (f.condition == "channel_online") return online;
    return Contains(c.conditions, f.condition);
  };
  std::vector<std::string> replaced;
  for (const Fee& f : p.fees) {
    if (!f.replaces.empty() && applies(f)) replaced.push_back(f.replaces);
  }
  FeeQuote quote;
  for (const Fee& f : p.fees) {
    if (!applies(f) || Contains(replaced, f.code)) continue;
    int64_t quantity = 1;
    if (!f.per.empty()) {
      auto it = c.quantities.find(f.per);
      // Without a count, a first tier counts one unit and later tiers none.
      const int64_t have = it != c.quantities.end() ? it->second : (f.from == 1 ? 1 : 0);
      const int64_t last = f.to == 0 ? have : std::min(have, f.to);
      quantity = std::max<int64_t>(0, last - f.from + 1);
      if (quantity == 0) continue;
    }
    FeeLine line{f.code, f.kind, f.name, f.name_en, f.amount, quantity, f.amount * quantity};
    quote.before_exemption += line.amount;
    if (!c.exemption.empty()) line.amount = 0;
    quote.total += line.amount;
    quote.lines.push_back(std::move(line));
  }
  quote.exemption = c.exemption;
  return quote;
}

namespace {

// Below one billion; `full`: a group has been said before (after "tỷ"), so every group is read
// with its hundreds.
std::string BelowBillion(uint64_t n, bool full) {
  static const std::array<std::pair<uint64_t, std::string_view>, 3> kScales = {
      {{1000000, "triệu"}, {1000, "nghìn"}, {1, ""}}};
  std::string out;
  for (const auto& [size, word] : kScales) {
    const int g = static_cast<int>(n / size % 1000);
    if (g == 0) continue;
    if (!out.empty()) out += ' ';
    out += Group(g, full || !out.empty());
    if (!word.empty()) {
      out += ' ';
      out += word;
    }
  }
  return out;
}

std::string Words(uint64_t n, bool full) {
  constexpr uint64_t kBillion = 1000000000;
  if (n < kBillion) return BelowBillion(n, full);
  std::string out = Words(n / kBillion, full) + " tỷ";
  if (n % kBillion != 0) out += " " + BelowBillion(n % kBillion, true);
  return out;
}

}  // namespace

std::string AmountInWords(int64_t vnd) {
  if (vnd == 0) return "Không đồng";
  const uint64_t n = vnd < 0 ? static_cast<uint64_t>(-(vnd + 1)) + 1 : static_cast<uint64_t>(vnd);
  return Capitalise((vnd < 0 ? "âm " : "") + Words(n, false)) + " đồng";
}

std::string FormatVnd(int64_t vnd) {
  std::string digits = std::to_string(vnd < 0 ? -vnd : vnd);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out = digits.substr(0, first);
  for (size_t i = first; i < digits.size(); i += 3) out += "." + digits.substr(i, 3);
  return vnd < 0 ? "-" + out : out;
}

std::string_view PaymentStateName(PaymentState s) {
  switch (s) {
    case PaymentState::kNotRequired:
      return "not_required";
    case PaymentState::kDue:
      return "due";
    case PaymentState::kPaid:
      return "paid";
    case PaymentState::kRefunded:
      return "refunded";
    case PaymentState::kWaived:
      return "waived";
  }
  return "?";
}

bool PaymentRecord::Seen(std::string_view provider, std::string_view transaction_no) const {
  return Contains(transactions, TransactionKey(provider, transaction_no));
}

std::string PaymentReference(std::string_view dossier_code) {
  std::string out = "MC";
  for (char ch : dossier_code) {
    if (ch >= '0' && ch <= '9') out += ch;
    if (ch >= 'A' && ch <= 'Z') out += ch;
    if (ch >= 'a' && ch <= 'z') out += static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

std::string TransactionKey(std::string_view provider, std::string_view transaction_no) {
  std::string k(provider);
  k += ':';
  k += transaction_no;
  return k;
}

}  // namespace motcua::domain
