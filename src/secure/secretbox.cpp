#include "secure/secretbox.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "secure/detail/sodium.h"
#include "secure/random.h"

namespace motcua::secure {

static_assert(SecretKey::kBytes == crypto_secretbox_KEYBYTES);

namespace {

constexpr std::string_view kContextDomain = "motcua.secretbox.v1:";

std::unexpected<Error> KeyIo(const std::filesystem::path& path, std::string_view what) {
  return Fail(ErrorCode::kFailedPrecondition, "secure.key_io",
              std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool ReadExactly(int fd, unsigned char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

bool WriteAll(int fd, const unsigned char* data, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t w = ::write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

void SecretKey::KeyDeleter::operator()(unsigned char* p) const {
  sodium_memzero(p, kBytes);
  delete[] p;
}

Result<SecretKey> SecretKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kBytes) {
    return Fail(ErrorCode::kDataLoss, "secure.bad_key",
                "key is " + std::to_string(bytes.size()) + " bytes, want 32");
  }
  detail::EnsureSodium();
  KeyBytes key(new unsigned char[kBytes]);
  std::memcpy(key.get(), bytes.data(), kBytes);
  return SecretKey(std::move(key));
}

Result<SecretKey> SecretKey::LoadOrCreate(const std::filesystem::path& path) {
  detail::EnsureSodium();
  // Load: open without following a symlink, then check the opened file itself (no race between
  // the check and the read).
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fd in{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (in.fd >= 0) {
      struct stat st {};
      if (::fstat(in.fd, &st) != 0) return KeyIo(path, "cannot stat key file");
      if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
        return Fail(ErrorCode::kPermissionDenied, "secure.key_permissions",
                    "key file " + path.string() +
                        " must be a regular file with mode 0600 (no group/other access)");
      }
      if (st.st_size != static_cast<off_t>(kBytes)) {
        return Fail(
            ErrorCode::kDataLoss, "secure.bad_key",
            "key file " + path.string() + " is " + std::to_string(st.st_size) + " bytes, want 32");
      }
      KeyBytes key(new unsigned char[kBytes]);
      if (!ReadExactly(in.fd, key.get(), kBytes)) return KeyIo(path, "cannot read key file");
      return SecretKey(std::move(key));
    }
    if (errno != ENOENT || attempt > 0) return KeyIo(path, "cannot open key file");

    // Create: a private temporary file in the same directory, linked into place. link() fails
    // with EEXIST instead of replacing a key another process created meanwhile (rename would
    // silently replace it, orphaning whatever that process had sealed); then load theirs.
    KeyBytes key(new unsigned char[kBytes]);
    randombytes_buf(key.get(), kBytes);
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + RandomToken(8);
    {
      Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
      if (out.fd < 0) return KeyIo(tmp, "cannot create key file");
      if (::fchmod(out.fd, 0600) != 0 || !WriteAll(out.fd, key.get(), kBytes) ||
          ::fsync(out.fd) != 0) {
        auto err = KeyIo(tmp, "cannot write key file");
        ::unlink(tmp.c_str());
        return err;
      }
    }
    const int linked = ::link(tmp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked != 0) {
      if (link_errno == EEXIST) continue;  // lost the race: load the other process's key
      errno = link_errno;
      return KeyIo(path, "cannot link key file into place");
    }
    std::filesystem::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0 || ::fsync(d.fd) != 0) return KeyIo(dir, "cannot fsync key directory");
    return SecretKey(std::move(key));
  }
  return KeyIo(path, "cannot open key file");
}

void SecretKey::SubKey(std::string_view context, unsigned char* out) const {
  if (!key_) std::abort();  // a moved-from key: a bug in the caller
  if (context.empty()) {
    std::memcpy(out, key_.get(), kBytes);
    return;
  }
  std::string msg(kContextDomain);
  msg += context;
  crypto_generichash(out, kBytes, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                     key_.get(), kBytes);
}

std::string SecretKey::Seal(std::string_view plaintext, std::string_view context) const {
  std::array<unsigned char, kBytes> sub{};
  SubKey(context, sub.data());
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, sub.data());
  sodium_memzero(sub.data(), sub.size());
  return detail::Base64UrlEncode(box);
}

std::string SecretKey::Mac(std::string_view data, std::string_view context) const {
  if (context.empty()) std::abort();  // the bare key is for sealing; a MAC names its purpose
  std::array<unsigned char, kBytes> sub{};
  SubKey(context, sub.data());
  std::string out(kBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), kBytes,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), sub.data(),
                     kBytes);
  sodium_memzero(sub.data(), sub.size());
  return out;
}

Result<std::string> SecretKey::Open(std::string_view sealed, std::string_view context) const {
  auto bad = [](std::string detail) {
    return Fail(ErrorCode::kDataLoss, "secure.bad_ciphertext", std::move(detail));
  };
  std::optional<std::string> box = detail::Base64UrlDecode(sealed);
  if (!box) return bad("sealed value is not base64url");
  if (box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return bad("sealed value too short");
  }
  std::array<unsigned char, kBytes> sub{};
  SubKey(context, sub.data());
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  const size_t cipher_len = box->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(cipher_len - crypto_secretbox_MACBYTES, '\0');
  const int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                            nonce + crypto_secretbox_NONCEBYTES, cipher_len, nonce,
                                            sub.data());
  sodium_memzero(sub.data(), sub.size());
  if (rc != 0) return bad("authentication failed (tampered, or another key or context)");
  return plain;
}

}  // namespace motcua::secure
