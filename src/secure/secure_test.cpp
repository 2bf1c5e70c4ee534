// Tests of the credential primitives against the real libsodium and OpenSSL: Argon2id hashes,
// the RFC 4226 / RFC 6238 / RFC 4648 vectors, secretbox tampering and key files on disk.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "secure/password.h"
#include "secure/random.h"
#include "secure/secretbox.h"
#include "secure/totp.h"

namespace motcua::secure {
namespace {

namespace fs = std::filesystem;

// --- Passwords

TEST(PasswordHashTest, HashVerifiesAndWrongPasswordFails) {
  auto phc = HashPassword("correct horse battery staple", kTesting);
  ASSERT_TRUE(phc) << phc.error().ToString();
  EXPECT_TRUE(phc->starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << *phc;
  EXPECT_TRUE(VerifyPassword(*phc, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*phc, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*phc, "Correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*phc, ""));
}

TEST(PasswordHashTest, SaltsDiffer) {
  auto a = HashPassword("same password", kTesting);
  auto b = HashPassword("same password", kTesting);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(PasswordHashTest, UnicodeAndEmptyPasswordsRoundTrip) {
  const std::string vi = "Mật khẩu rất dài và khó đoán 2026";
  auto phc = HashPassword(vi, kTesting);
  ASSERT_TRUE(phc);
  EXPECT_TRUE(VerifyPassword(*phc, vi));
  EXPECT_FALSE(VerifyPassword(*phc, "Mat khau rat dai va kho doan 2026"));
  // The policy (domain layer) decides minimum length; the primitive hashes what it is given.
  auto empty = HashPassword("", kTesting);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(VerifyPassword(*empty, ""));
  EXPECT_FALSE(VerifyPassword(*empty, " "));
}

TEST(PasswordHashTest, TamperedOrMalformedHashFails) {
  auto phc = HashPassword("hunter22hunter22", kTesting);
  ASSERT_TRUE(phc);
  // Flip one character of the hash part, of the salt part, and change a parameter.
  std::string flipped = *phc;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword(flipped, "hunter22hunter22"));
  std::string salt = *phc;
  const size_t salt_at = salt.find("p=1$") + 4;
  salt[salt_at] = salt[salt_at] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword(salt, "hunter22hunter22"));
  std::string cost = *phc;
  cost.replace(cost.find("t=1"), 3, "t=2");
  EXPECT_FALSE(VerifyPassword(cost, "hunter22hunter22"));
  std::string argon2i = *phc;
  argon2i.replace(0, 10, "$argon2i$");
  EXPECT_FALSE(VerifyPassword(argon2i, "hunter22hunter22"));

  for (const std::string& bad :
       {std::string(), std::string("$argon2id$"), std::string("plaintext"),
        phc->substr(0, phc->size() - 10), *phc + "$extra", std::string(200, 'a')}) {
    EXPECT_FALSE(VerifyPassword(bad, "hunter22hunter22")) << bad;
  }
  // A NUL inside the stored string must not truncate it into something else.
  EXPECT_FALSE(VerifyPassword(*phc + std::string(1, '\0') + "x", "hunter22hunter22"));
  // A stored string demanding more memory than the verify cap is refused, not obeyed.
  EXPECT_FALSE(
      VerifyPassword("$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                     "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                     "x"));
}

TEST(PasswordHashTest, RejectsOverlongPasswordsAndNul) {
  const std::string max(kMaxPasswordBytes, 'p');
  auto ok = HashPassword(max, kTesting);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(VerifyPassword(*ok, max));

  auto too_long = HashPassword(max + "p", kTesting);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().key, "account.password_too_long");
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(VerifyPassword(*ok, max + "p"));

  auto nul = HashPassword(std::string("abc\0def", 7), kTesting);
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().key, "account.password_invalid");
  // Verifying with a NUL never matches the prefix before it.
  auto abc = HashPassword("abc", kTesting);
  ASSERT_TRUE(abc);
  EXPECT_FALSE(VerifyPassword(*abc, std::string("abc\0def", 7)));
}

TEST(PasswordHashTest, RejectsCostsOutsideLimits) {
  auto r = HashPassword("x", PasswordCost{0, 8192});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().key, "secure.bad_cost");
  EXPECT_FALSE(HashPassword("x", PasswordCost{1, 1024}));
  EXPECT_FALSE(HashPassword("x", PasswordCost{1, 8192 + 1}));
}

TEST(PasswordHashTest, NeedsRehashWhenCostDiffers) {
  auto phc = HashPassword("password for rehash", kTesting);
  ASSERT_TRUE(phc);
  EXPECT_FALSE(NeedsRehash(*phc, kTesting));
  EXPECT_TRUE(NeedsRehash(*phc, kInteractive));
  EXPECT_TRUE(NeedsRehash(*phc, PasswordCost{2, kTesting.mem_bytes}));
  EXPECT_TRUE(NeedsRehash(*phc, PasswordCost{1, kTesting.mem_bytes * 2}));
  EXPECT_TRUE(NeedsRehash("garbage", kTesting));
  EXPECT_TRUE(NeedsRehash("", kTesting));
  // The preset strings say what libsodium's constants say.
  EXPECT_FALSE(
      NeedsRehash("$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA", kInteractive));
  EXPECT_FALSE(
      NeedsRehash("$argon2id$v=19$m=262144,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA", kModerate));
}

TEST(HashLimiterTest, TryAcquireStopsAtTheLimit) {
  HashLimiter limiter(2);
  EXPECT_EQ(limiter.max_concurrent(), 2);
  auto a = limiter.TryAcquire();
  auto b = limiter.TryAcquire();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(limiter.in_use(), 2);
  EXPECT_FALSE(limiter.TryAcquire());
  a.reset();
  EXPECT_EQ(limiter.in_use(), 1);
  auto c = limiter.TryAcquire();
  EXPECT_TRUE(c);
  // Moving a permit does not release it.
  HashLimiter::Permit moved = std::move(*c);
  c.reset();
  EXPECT_EQ(limiter.in_use(), 2);
  EXPECT_EQ(HashLimiter(0).max_concurrent(), 1);
}

TEST(HashLimiterTest, AcquireWaitsForARelease) {
  HashLimiter limiter(1);
  std::optional<HashLimiter::Permit> held = limiter.Acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    HashLimiter::Permit p = limiter.Acquire();
    got = true;
  });
  // Correctness, not timing: while the only permit is held the waiter can never get one.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(limiter.in_use(), 0);
}

TEST(HashLimiterTest, ConcurrentHashesNeverExceedTheLimit) {
  HashLimiter limiter(2);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::atomic<int> verified{0};
  auto phc = HashPassword("limiter", kTesting);
  ASSERT_TRUE(phc);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto permit = limiter.Acquire();
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        if (VerifyPassword(*phc, "limiter")) ++verified;
        --running;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
  EXPECT_EQ(verified.load(), 30);
  EXPECT_EQ(limiter.in_use(), 0);
}

// --- Random, digests, comparison

TEST(SecureRandomTest, BytesAndTokens) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(64).size(), 64u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
  const std::string t = RandomToken();
  EXPECT_EQ(t.size(), 43u);  // 32 bytes, base64url, no padding
  for (char c : t) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
  }
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST(SecureRandomTest, Sha256KnownAnswers) {
  // FIPS 180-2 examples.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecureRandomTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret-token", "secret-token"));
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "secret-tokeN"));
  EXPECT_FALSE(ConstantTimeEquals("Secret-token", "secret-token"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret-token"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

// --- Base32 (RFC 4648 §10)

TEST(Base32Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    auto back = Base32Decode(encoded);
    ASSERT_TRUE(back) << encoded;
    EXPECT_EQ(*back, plain);
  }
  // Padded forms as the RFC prints them.
  EXPECT_EQ(*Base32Decode("MY======"), "f");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI======"), "foobar");
}

TEST(Base32Test, DecodeIsLenientAboutCaseSpacesAndPadding) {
  const std::string secret = "12345678901234567890";
  const std::string enc = Base32Encode(secret);
  EXPECT_EQ(enc, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(*Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), secret);
  EXPECT_EQ(*Base32Decode("mzxw6ytboi======"), "foobar");
  EXPECT_EQ(*Base32Decode("MZXW 6YTB OI== ===="), "foobar");
  auto all = RandomBytes(257);
  EXPECT_EQ(*Base32Decode(Base32Encode(all)), all);
}

TEST(Base32Test, DecodeRefusesBadInput) {
  for (const char* bad :
       {"MZXW1", "MZXW8", "MZ-W6", "MZXW6!", "MY=A", "M", "MZX", "MZXW6Y", "MZXW\t6", "ÀBCD"}) {
    auto r = Base32Decode(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().key, "secure.bad_base32");
  }
}

// --- HOTP (RFC 4226 Appendix D) and TOTP (RFC 6238 Appendix B)

const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

TEST(HotpTest, Rfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t c = 0; c < 10; ++c) {
    auto code = Hotp(kSeed20, c);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, expected[c]) << "counter " << c;
  }
}

TEST(HotpTest, RefusesBadParameters) {
  EXPECT_EQ(Hotp(kSeed20, 0, 5).error().key, "secure.bad_otp_params");
  EXPECT_FALSE(Hotp(kSeed20, 0, 9));
  EXPECT_FALSE(Hotp("short secret", 0, 6));
  EXPECT_TRUE(Hotp(kSeed20, 0, 7));
  EXPECT_EQ(Hotp(kSeed20, 0, 8).value().size(), 8u);
}

TEST(TotpTest, Rfc6238AppendixB) {
  struct Row {
    int64_t t;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Row rows[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Row& r : rows) {
    const TotpParams p1{OtpAlgorithm::kSha1, 8, 30};
    const TotpParams p256{OtpAlgorithm::kSha256, 8, 30};
    const TotpParams p512{OtpAlgorithm::kSha512, 8, 30};
    EXPECT_EQ(Totp(kSeed20, r.t, p1).value(), r.sha1) << r.t;
    EXPECT_EQ(Totp(kSeed32, r.t, p256).value(), r.sha256) << r.t;
    EXPECT_EQ(Totp(kSeed64, r.t, p512).value(), r.sha512) << r.t;
    // And VerifyTotp accepts each with no window, returning the step.
    EXPECT_EQ(VerifyTotp(kSeed20, r.sha1, r.t, 0, -1, p1), r.t / 30) << r.t;
    EXPECT_EQ(VerifyTotp(kSeed32, r.sha256, r.t, 0, -1, p256), r.t / 30) << r.t;
    EXPECT_EQ(VerifyTotp(kSeed64, r.sha512, r.t, 0, -1, p512), r.t / 30) << r.t;
    // The wrong algorithm does not.
    EXPECT_FALSE(VerifyTotp(kSeed20, r.sha1, r.t, 0, -1, p256)) << r.t;
  }
}

TEST(TotpTest, CounterIsFloor) {
  EXPECT_EQ(TotpCounter(0), 0);
  EXPECT_EQ(TotpCounter(29), 0);
  EXPECT_EQ(TotpCounter(30), 1);
  EXPECT_EQ(TotpCounter(-1), -1);
  EXPECT_EQ(TotpCounter(1111111109), 37037036);
  EXPECT_FALSE(Totp(kSeed20, -1));
}

TEST(TotpTest, SkewWithinWindowAcceptedBeyondRefused) {
  const int64_t now = 1'750'000'005;  // inside a step
  const int64_t step = TotpCounter(now);
  for (int d = -3; d <= 3; ++d) {
    const std::string code = Totp(kSeed20, now + d * 30).value();
    const auto with_window_1 = VerifyTotp(kSeed20, code, now, 1, -1);
    const auto with_window_2 = VerifyTotp(kSeed20, code, now, 2, -1);
    if (std::abs(d) <= 1) {
      EXPECT_EQ(with_window_1, step + d) << d;
    } else {
      EXPECT_FALSE(with_window_1) << d;
    }
    if (std::abs(d) <= 2) {
      EXPECT_EQ(with_window_2, step + d) << d;
    } else {
      EXPECT_FALSE(with_window_2) << d;
    }
    if (d != 0) {
      EXPECT_FALSE(VerifyTotp(kSeed20, code, now, 0, -1)) << d;
    }
  }
  // Windows outside 0..kMaxTotpWindow are refused outright.
  const std::string current = Totp(kSeed20, now).value();
  EXPECT_TRUE(VerifyTotp(kSeed20, current, now, kMaxTotpWindow, -1));
  EXPECT_FALSE(VerifyTotp(kSeed20, current, now, kMaxTotpWindow + 1, -1));
  EXPECT_FALSE(VerifyTotp(kSeed20, current, now, -1, -1));
}

TEST(TotpTest, ReplayRefused) {
  const int64_t now = 1'750'000'005;
  const std::string code = Totp(kSeed20, now).value();
  const auto first = VerifyTotp(kSeed20, code, now, 1, -1);
  ASSERT_TRUE(first);
  // The same code again, even 20 seconds later within the window, is refused.
  EXPECT_FALSE(VerifyTotp(kSeed20, code, now, 1, *first));
  EXPECT_FALSE(VerifyTotp(kSeed20, code, now + 20, 1, *first));
  // An older code still inside the window is refused too.
  const std::string previous = Totp(kSeed20, now - 30).value();
  EXPECT_FALSE(VerifyTotp(kSeed20, previous, now, 1, *first));
  // The next step's code is accepted.
  const std::string next = Totp(kSeed20, now + 30).value();
  EXPECT_EQ(VerifyTotp(kSeed20, next, now + 30, 1, *first), *first + 1);
}

TEST(TotpTest, MalformedCodesRefused) {
  const int64_t now = 1'750'000'005;
  const std::string code = Totp(kSeed20, now).value();
  ASSERT_TRUE(VerifyTotp(kSeed20, code, now, 1, -1));
  for (const std::string& bad :
       {std::string("12345"), std::string("abcdef"), std::string("1234567"), std::string(""),
        code.substr(0, 3) + " " + code.substr(3), " " + code, code + " ", code + "0",
        code.substr(1), "+" + code.substr(1), code.substr(0, 5) + "\n",
        std::string(code.data(), 5) + std::string(1, '\0')}) {
    EXPECT_FALSE(VerifyTotp(kSeed20, bad, now, 1, -1)) << "[" << bad << "]";
  }
  // A short secret is refused even with the right code for it.
  const std::string short_secret = "0123456789";
  EXPECT_FALSE(VerifyTotp(short_secret, "000000", now, 1, -1));
}

TEST(TotpTest, NewSecretIs160Bits) {
  const std::string s = NewTotpSecret();
  EXPECT_EQ(s.size(), 20u);
  EXPECT_EQ(Base32Encode(s).size(), 32u);
  EXPECT_NE(s, NewTotpSecret());
}

TEST(TotpTest, OtpauthUriIsPercentEncoded) {
  EXPECT_EQ(OtpauthUri("motcua", "canbo.nguyen", kSeed20),
            "otpauth://totp/motcua:canbo.nguyen?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=motcua&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("Tỉnh Demo", "a b@x.vn", kSeed20, {OtpAlgorithm::kSha256, 8, 30}),
            "otpauth://totp/T%E1%BB%89nh%20Demo:a%20b%40x.vn?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=T%E1%BB%89nh%20Demo&algorithm=SHA256"
            "&digits=8&period=30");
  EXPECT_EQ(OtpauthUri("", "x&y=z", kSeed20),
            "otpauth://totp/x%26y%3Dz?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&algorithm=SHA1&digits=6&period=30");
}

// --- Secretbox and key files

class SecretKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("motcua-secure-" + RandomToken(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(SecretKeyTest, SealOpenRoundTrip) {
  auto key = SecretKey::FromBytes(RandomBytes(32));
  ASSERT_TRUE(key);
  const std::string seed = NewTotpSecret();
  const std::string sealed = key->Seal(seed);
  EXPECT_EQ(sealed.find(seed), std::string::npos);
  EXPECT_EQ(sealed.size(), 80u);       // base64url of 24 + 16 + 20 = 60 bytes
  EXPECT_NE(key->Seal(seed), sealed);  // fresh nonce each time
  auto opened = key->Open(sealed);
  ASSERT_TRUE(opened) << opened.error().ToString();
  EXPECT_EQ(*opened, seed);
  EXPECT_EQ(key->Open(key->Seal("")).value(), "");
}

TEST_F(SecretKeyTest, TamperedBoxesFail) {
  auto key = SecretKey::FromBytes(RandomBytes(32));
  ASSERT_TRUE(key);
  const std::string sealed = key->Seal("totp seed bytes!!!!!");
  // Every single-character change anywhere (nonce, tag, ciphertext) is caught.
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string t = sealed;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    auto r = key->Open(t);
    ASSERT_FALSE(r) << i;
    EXPECT_EQ(r.error().key, "secure.bad_ciphertext");
    EXPECT_EQ(r.error().code, ErrorCode::kDataLoss);
  }
  for (const std::string& bad :
       {std::string(), std::string("not base64!"), sealed.substr(0, 40),
        sealed.substr(0, sealed.size() - 1), sealed + "AA", sealed + "="}) {
    EXPECT_FALSE(key->Open(bad)) << bad;
  }
  auto other = SecretKey::FromBytes(RandomBytes(32));
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->Open(sealed));
}

TEST_F(SecretKeyTest, ContextBindsTheBox) {
  auto key = SecretKey::FromBytes(RandomBytes(32));
  ASSERT_TRUE(key);
  const std::string sealed = key->Seal("seed", "totp/acc-1");
  EXPECT_EQ(key->Open(sealed, "totp/acc-1").value(), "seed");
  EXPECT_FALSE(key->Open(sealed, "totp/acc-2"));
  EXPECT_FALSE(key->Open(sealed));
  EXPECT_FALSE(key->Open(key->Seal("seed"), "totp/acc-1"));
}

TEST_F(SecretKeyTest, FromBytesRefusesWrongSize) {
  auto r = SecretKey::FromBytes(RandomBytes(31));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().key, "secure.bad_key");
  EXPECT_FALSE(SecretKey::FromBytes(RandomBytes(33)));
}

TEST_F(SecretKeyTest, CreatesKeyFileWith0600AndLoadsItAgain) {
  const fs::path path = dir_ / "secret.key";
  auto created = SecretKey::LoadOrCreate(path);
  ASSERT_TRUE(created) << created.error().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  // No temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  auto loaded = SecretKey::LoadOrCreate(path);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  const std::string sealed = created->Seal("seed");
  EXPECT_EQ(loaded->Open(sealed).value(), "seed");
  // And a key moved into another object still works.
  SecretKey moved = std::move(*loaded);
  EXPECT_EQ(moved.Open(sealed).value(), "seed");
}

TEST_F(SecretKeyTest, RefusesKeyFileReadableByOthers) {
  const fs::path path = dir_ / "secret.key";
  ASSERT_TRUE(SecretKey::LoadOrCreate(path));
  for (mode_t mode : {0640, 0604, 0660, 0602}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto r = SecretKey::LoadOrCreate(path);
    ASSERT_FALSE(r) << std::oct << mode;
    EXPECT_EQ(r.error().key, "secure.key_permissions");
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(SecretKey::LoadOrCreate(path));
}

TEST_F(SecretKeyTest, RefusesWrongSizeSymlinkAndMissingDirectory) {
  const fs::path path = dir_ / "short.key";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(31, 'k');
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto r = SecretKey::LoadOrCreate(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().key, "secure.bad_key");

  const fs::path target = dir_ / "real.key";
  ASSERT_TRUE(SecretKey::LoadOrCreate(target));
  fs::create_symlink(target, dir_ / "link.key");
  auto via_link = SecretKey::LoadOrCreate(dir_ / "link.key");
  ASSERT_FALSE(via_link);
  EXPECT_EQ(via_link.error().key, "secure.key_io");

  auto missing_dir = SecretKey::LoadOrCreate(dir_ / "no-such-dir" / "secret.key");
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.error().key, "secure.key_io");
}

TEST_F(SecretKeyTest, ConcurrentCreatorsAgreeOnOneKey) {
  const fs::path path = dir_ / "raced.key";
  std::vector<std::optional<SecretKey>> keys(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      auto k = SecretKey::LoadOrCreate(path);
      if (k) keys[i].emplace(std::move(*k));
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(keys[0]);
  const std::string sealed = keys[0]->Seal("shared");
  for (auto& k : keys) {
    ASSERT_TRUE(k);
    EXPECT_EQ(k->Open(sealed).value(), "shared");
  }
}

}  // namespace
}  // namespace motcua::secure
