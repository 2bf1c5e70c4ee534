#include "secure/password.h"

#include <sodium.h>

#include <array>
#include <charconv>

#include "secure/detail/sodium.h"

namespace motcua::secure {

static_assert(kInteractive.ops == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(kInteractive.mem_bytes == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(kModerate.ops == crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
static_assert(kModerate.mem_bytes == crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
static_assert(kTesting.ops == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kTesting.mem_bytes == crypto_pwhash_argon2id_MEMLIMIT_MIN);

namespace {

constexpr std::string_view kPrefix = "$argon2id$v=19$m=";
// A stored hash asking for more than this is treated as corrupt rather than obeyed.
constexpr uint64_t kMaxVerifyMemKiB = uint64_t{1} << 20;  // 1 GiB
constexpr uint64_t kMaxVerifyOps = 16;

struct PhcCost {
  uint64_t mem_kib = 0;
  uint64_t ops = 0;
};

// Reads "<digits><sep>" at the front of s; advances s past the separator.
bool TakeNumber(std::string_view& s, char sep, uint64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end == s.data() || end == s.data() + s.size() || *end != sep) {
    return false;
  }
  s.remove_prefix(static_cast<size_t>(end - s.data()) + 1);
  return true;
}

// The cost fields of a "$argon2id$v=19$m=..,t=..,p=1$salt$hash" string, or nullopt. The salt
// and hash are left to libsodium's decoder.
std::optional<PhcCost> ParsePhc(std::string_view phc) {
  if (phc.size() >= crypto_pwhash_STRBYTES || phc.find('\0') != std::string_view::npos ||
      !phc.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string_view rest = phc.substr(kPrefix.size());
  PhcCost c;
  uint64_t lanes = 0;
  if (!TakeNumber(rest, ',', c.mem_kib) || !rest.starts_with("t=")) return std::nullopt;
  rest.remove_prefix(2);
  if (!TakeNumber(rest, ',', c.ops) || !rest.starts_with("p=")) return std::nullopt;
  rest.remove_prefix(2);
  if (!TakeNumber(rest, '$', lanes) || lanes != 1) return std::nullopt;
  return c;
}

Result<void> CheckPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Fail(Error{
        ErrorCode::kInvalidArgument,
        "account.password_too_long",
        "password longer than kMaxPasswordBytes",
        {}}.With("max", std::to_string(kMaxPasswordBytes)));
  }
  if (password.find('\0') != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "account.password_invalid", "password contains NUL");
  }
  return {};
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  if (auto ok = CheckPassword(password); !ok) return Fail(std::move(ok.error()));
  if (cost.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      cost.ops > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      cost.mem_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      cost.mem_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX || cost.mem_bytes % 1024 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "secure.bad_cost",
                "Argon2id cost outside libsodium's limits (or memory not whole KiB)");
  }
  detail::EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kResourceExhausted, "secure.hash_failed",
                "crypto_pwhash_str_alg failed (out of memory?)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view phc, std::string_view password) {
  if (!CheckPassword(password)) return false;
  const std::optional<PhcCost> cost = ParsePhc(phc);
  if (!cost || cost->mem_kib > kMaxVerifyMemKiB || cost->ops > kMaxVerifyOps) return false;
  detail::EnsureSodium();
  // libsodium reads a NUL-terminated string of at most crypto_pwhash_STRBYTES bytes.
  std::array<char, crypto_pwhash_STRBYTES> str{};
  phc.copy(str.data(), phc.size());
  return crypto_pwhash_str_verify(str.data(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view phc, PasswordCost cost) {
  const std::optional<PhcCost> parsed = ParsePhc(phc);
  if (!parsed) return true;
  return parsed->ops != cost.ops || cost.mem_bytes % 1024 != 0 ||
         parsed->mem_kib != cost.mem_bytes / 1024;
}

// --- HashLimiter

HashLimiter::HashLimiter(int max_concurrent) : max_(max_concurrent < 1 ? 1 : max_concurrent) {}

HashLimiter::Permit& HashLimiter::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->Release();
    owner_ = std::exchange(other.owner_, nullptr);
  }
  return *this;
}

HashLimiter::Permit::~Permit() {
  if (owner_ != nullptr) owner_->Release();
}

HashLimiter::Permit HashLimiter::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return in_use_ < max_; });
  ++in_use_;
  return Permit(this);
}

std::optional<HashLimiter::Permit> HashLimiter::TryAcquire() {
  std::lock_guard lock(mu_);
  if (in_use_ >= max_) return std::nullopt;
  ++in_use_;
  return Permit(this);
}

int HashLimiter::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

void HashLimiter::Release() {
  {
    std::lock_guard lock(mu_);
    --in_use_;
  }
  cv_.notify_one();
}

}  // namespace motcua::secure
