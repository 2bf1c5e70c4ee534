#include "store/store.h"

#include <openssl/evp.h>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace motcua::store {

bool IsPostgresLocation(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://") ||
         location.find("dbname=") != std::string_view::npos;
}

Result<std::unique_ptr<Store>> Open(const StoreOptions& options) {
  if (IsPostgresLocation(options.location)) return postgres::OpenPostgres(options);
  return sqlite::OpenSqlite(options);
}

std::string ChainHash(std::string_view prev_hash, std::string_view canonical_text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev_hash.data(), prev_hash.size());
  EVP_DigestUpdate(ctx, "\n", 1);
  EVP_DigestUpdate(ctx, canonical_text.data(), canonical_text.size());
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

Result<int64_t> VerifyChain(Store& store) {
  std::string prev(kGenesisHash);
  int64_t expected_seq = 1;
  auto broken = [](int64_t seq, std::string why) {
    Error e{ErrorCode::kDataLoss, "store.chain_broken", std::move(why), {}};
    e.With("seq", std::to_string(seq));
    return e;
  };
  auto r = store.ForEachEvent(0, [&](const Event& e) -> Result<void> {
    if (e.seq != expected_seq) return Fail(broken(expected_seq, "sequence gap"));
    if (e.prev_hash != prev) return Fail(broken(e.seq, "prev_hash does not match"));
    const std::string text = CanonicalEventText(e.seq, e.stream, e.type, e.version, e.unit, e.actor,
                                                e.at, e.payload_json);
    if (ChainHash(prev, text) != e.hash) return Fail(broken(e.seq, "hash does not match content"));
    prev = e.hash;
    ++expected_seq;
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return expected_seq - 1;
}

}  // namespace motcua::store
