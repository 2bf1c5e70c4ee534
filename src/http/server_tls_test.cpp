// Built-in HTTPS: a self-signed P-256 certificate made in the test with the OpenSSL 3 API, the
// real server on 127.0.0.1 port 0, a Beast ssl_stream client that verifies the certificate and
// the host name. Checks a response and its HSTS header, that a plain-HTTP client gets no HTTP
// response, and that bad certificate/key settings stop Start.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "app/catalog.h"
#include "app/lifecycle.h"
#include "http/auth.h"
#include "http/server.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

// Nobody is authenticated: the routes used here are public.
class NoAuthenticator final : public Authenticator {
 public:
  Result<Identity> Authenticate(const Request&, const RequestMeta&) const override {
    return Fail(ErrorCode::kUnauthenticated, "auth.invalid");
  }
};

// Writes a self-signed certificate for "localhost" / 127.0.0.1 and its EC P-256 key as PEM.
void MakeSelfSigned(const fs::path& cert_file, const fs::path& key_file) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(key, nullptr);
  X509* x = X509_new();
  ASSERT_NE(x, nullptr);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  ASSERT_NE(san, nullptr);
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  ASSERT_GT(X509_sign(x, key, EVP_sha256()), 0);
  FILE* c = std::fopen(cert_file.c_str(), "w");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(PEM_write_X509(c, x), 1);
  std::fclose(c);
  FILE* k = std::fopen(key_file.c_str(), "w");
  ASSERT_NE(k, nullptr);
  ASSERT_EQ(PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  std::fclose(k);
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  X509_free(x);
  EVP_PKEY_free(key);
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("motcua-tls-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    MakeSelfSigned(dir_ / "cert.pem", dir_ / "key.pem");
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    auto s = temp_->Open({.create = true});
    ASSERT_TRUE(s.has_value()) << s.error().ToString();
    store_ = std::move(*s);
    auto c = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, *c, clock_);
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      if (thread_.joinable()) thread_.join();
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  ServerOptions Options() const {
    ServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.threads = 2;
    opt.messages_file = DataDir() / "messages.json";
    opt.tls_cert_file = dir_ / "cert.pem";
    opt.tls_key_file = dir_ / "key.pem";
    return opt;
  }
  void StartServer() {
    server_ = std::make_unique<Server>(*lifecycle_, auth_, Options());
    auto r = server_->Start();
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    thread_ = std::thread([this] { server_->Run(); });
  }
  Result<void> StartWith(const ServerOptions& opt) {
    Server s(*lifecycle_, auth_, opt);
    return s.Start();
  }

  FixedClock clock_{Timestamp{1772503200LL * 1'000'000}};
  fs::path dir_;
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  NoAuthenticator auth_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(TlsServerTest, HttpsResponseWithHsts) {
  StartServer();
  net::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  const std::string cert = ReadFile(dir_ / "cert.pem");
  ctx.add_certificate_authority(net::buffer(cert));
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  ASSERT_EQ(SSL_set_tlsext_host_name(stream.native_handle(), "localhost"), 1);
  stream.set_verify_callback(ssl::host_name_verification("localhost"));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(stream).connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  boost::system::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_GE(SSL_version(stream.native_handle()), TLS1_2_VERSION);

  for (const char* target : {"/healthz", "/api/v1/health"}) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.keep_alive(true);
    bhttp::write(stream, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buf, res, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 200u) << target << res.body();
    EXPECT_EQ(res[bhttp::field::strict_transport_security], "max-age=31536000; includeSubDomains")
        << target;
    EXPECT_EQ(res["X-Frame-Options"], "DENY");
  }
  stream.shutdown(ec);  // close_notify both ways; an error here is the server's quick close
}

TEST_F(TlsServerTest, PlainHttpClientGetsNoHttpResponse) {
  StartServer();
  net::io_context ioc;
  beast::tcp_stream plain(ioc);
  plain.expires_after(std::chrono::seconds(30));
  plain.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
  net::write(plain.socket(), net::buffer(req));
  std::string got;
  boost::system::error_code ec;
  char buf[4096];
  while (!ec) {
    const size_t n = plain.read_some(net::buffer(buf), ec);
    got.append(buf, n);
  }
  // The server closed the connection (no hang until our 30 s expiry) without HTTP.
  EXPECT_NE(ec, beast::error::timeout);
  EXPECT_EQ(got.find("HTTP/"), std::string::npos) << got;
  EXPECT_EQ(got.find("ok"), std::string::npos);
}

TEST_F(TlsServerTest, BadCertificateSettingsStopStart) {
  ServerOptions only_cert = Options();
  only_cert.tls_key_file.clear();
  auto a = StartWith(only_cert);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().key, "http.bad_tls");

  ServerOptions missing = Options();
  missing.tls_cert_file = dir_ / "nope.pem";
  auto b = StartWith(missing);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().key, "http.bad_tls");

  // A key that is not the certificate's.
  MakeSelfSigned(dir_ / "other-cert.pem", dir_ / "other-key.pem");
  ServerOptions mismatched = Options();
  mismatched.tls_key_file = dir_ / "other-key.pem";
  auto c = StartWith(mismatched);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().key, "http.bad_tls");

  ServerOptions garbage = Options();
  std::ofstream(dir_ / "garbage.pem") << "-----BEGIN CERTIFICATE-----\nnot base64\n";
  garbage.tls_cert_file = dir_ / "garbage.pem";
  auto d = StartWith(garbage);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().key, "http.bad_tls");

  EXPECT_TRUE(StartWith(Options()).has_value());
}

}  // namespace
}  // namespace motcua::http
