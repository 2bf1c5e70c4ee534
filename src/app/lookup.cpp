#include "app/lookup.h"

#include <algorithm>
#include <cctype>

#include "base/json.h"
#include "secure/random.h"

namespace motcua::app {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";  // 31, no look-alikes
constexpr int64_t kMinuteUs = 60'000'000LL;

// Number of UTF-8 characters of a word after its first one.
size_t TailChars(std::string_view w, size_t first_len) {
  size_t n = 0;
  for (size_t i = first_len; i < w.size(); ++i) {
    if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

size_t FirstCharLen(std::string_view w) {
  if (w.empty()) return 0;
  size_t i = 1;
  while (i < w.size() && (static_cast<unsigned char>(w[i]) & 0xC0) == 0x80) ++i;
  return i;
}

std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace

std::string MaskName(std::string_view name) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && name[i] == ' ') ++i;
    size_t j = i;
    while (j < name.size() && name[j] != ' ') ++j;
    if (j > i) {
      const std::string_view w = name.substr(i, j - i);
      const size_t first = FirstCharLen(w);
      if (!out.empty()) out += ' ';
      out += w.substr(0, first);
      out.append(TailChars(w, first), '*');
    }
    i = j;
  }
  return out;
}

std::string Lookup::KeyFor(std::string_view code) const {
  const std::string mac = key_.Mac(code, "dossier-lookup");
  std::string out;
  for (int i = 0; i < kLookupKeyChars; ++i) {
    out += kAlphabet[static_cast<unsigned char>(mac[static_cast<size_t>(i)]) % kAlphabet.size()];
  }
  return out;
}

bool Lookup::Over(std::map<std::string, Window>& m, const std::string& k, int limit,
                  int64_t span_us, int64_t now_us, bool miss, int64_t* retry_s) {
  Window& w = m[k];
  if (now_us - w.start_us >= span_us) w = Window{0, now_us};
  if (miss) ++w.misses;
  if (w.misses >= limit) {
    *retry_s = std::max<int64_t>(1, (w.start_us + span_us - now_us) / 1'000'000);
    return true;
  }
  if (w.misses == 0 && m.size() > 100'000) m.clear();  // bound the memory a flood can take
  return false;
}

Result<PublicStatus> Lookup::Find(std::string_view code_in, std::string_view factor_in,
                                  std::string_view address) {
  const int64_t now = clock_.Now().us;
  const std::string code(code_in.substr(0, 64));
  const std::string addr(address);
  auto throttled = [](int64_t retry) {
    Error e{ErrorCode::kResourceExhausted, "lookup.throttled", {}, {}};
    e.With("retry_after", std::to_string(retry));
    return std::unexpected(e);
  };
  int64_t retry = 0;
  {
    std::lock_guard lock(mu_);
    if (Over(by_address_, addr, kLookupMissesPerAddress, 15 * kMinuteUs, now, false, &retry) ||
        Over(by_code_, code, kLookupMissesPerCode, 60 * kMinuteUs, now, false, &retry)) {
      return throttled(retry);
    }
  }
  auto miss = [&]() -> Result<PublicStatus> {
    std::lock_guard lock(mu_);
    Over(by_address_, addr, kLookupMissesPerAddress, 15 * kMinuteUs, now, true, &retry);
    Over(by_code_, code, kLookupMissesPerCode, 60 * kMinuteUs, now, true, &retry);
    return Fail(ErrorCode::kNotFound, "lookup.not_found", code);
  };
  if (code.empty() || factor_in.empty() || factor_in.size() > 64) return miss();
  auto row = store_.GetDossier(code);
  if (!row) return std::unexpected(row.error());
  if (!*row) return miss();
  auto doc = json::Parse((*row)->doc);
  if (!doc || !doc->is_object()) return Fail(ErrorCode::kDataLoss, "store.corrupt", code);
  auto d = domain::Dossier::FromJson(doc->get_object());
  if (!d) return std::unexpected(d.error());

  std::string factor;
  for (char c : factor_in) {
    if (c != ' ' && c != '-')
      factor += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  bool ok = false;
  if (factor.size() == static_cast<size_t>(kLookupKeyChars)) {
    ok = secure::ConstantTimeEquals(factor, KeyFor(code));
  } else if (factor.size() == 4 && Digits(factor) == factor) {
    const std::string phone = Digits(d->applicant.phone);
    ok = phone.size() >= 8 && secure::ConstantTimeEquals(phone.substr(phone.size() - 4), factor);
  }
  if (!ok) return miss();

  PublicStatus s;
  s.code = d->code;
  s.procedure_code = d->procedure_code;
  s.procedure_name = d->procedure_name;
  s.state = d->state;
  s.channel = d->channel;
  s.applicant_name = MaskName(d->applicant.name);
  s.receiving_unit = d->receiving_unit;
  s.submitted_at = d->submitted_at;
  s.received_at = d->received_at;
  s.due_at = d->due_at;
  s.returned_at = d->returned_at;
  s.overdue =
      domain::Overdue(*d, clock_.Now(), catalog_->calendar(), catalog_->Schedule(d->schedule))
          .overdue;
  auto events = store_.ReadStream(domain::DossierStream(code));
  if (!events) return std::unexpected(events.error());
  for (const Event& e : *events) s.timeline.push_back({e.at, e.type});
  return s;
}

}  // namespace motcua::app
