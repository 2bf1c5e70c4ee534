// The signature routes through Api::Handle on a real SQLite store: public verification of a file
// and of a code (valid, unsigned, not a PDF, damaged, unknown code), the CA's certificates and
// CRL for other tools, and authentication where it is needed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "app/documents.h"
#include "app/lifecycle.h"
#include "base/json.h"
#include "http/auth.h"
#include "http/routes.h"
#include "sign/document.h"
#include "store/testing.h"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
using beast_http::verb;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

class DocumentRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    temp_ = std::move(store::testing::TempStore::Create("sqlite").value());
    store_ = std::move(temp_->Open({.create = true}).value());
    auto from_data = app::Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(app::ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    catalog_ = app::Catalog::Load(*store_, DataDir()).value();
    lifecycle_ = std::make_unique<app::Lifecycle>(*store_, catalog_, clock_);
    messages_ =
        std::make_unique<MessageCatalog>(MessageCatalog::Load(DataDir() / "messages.json").value());
    auth_ =
        std::move(TokenFileAuthenticator::FromJson(bj::object{{"tokens", bj::array{}}}).value());
    dir_ = fs::temp_directory_path() / ("motcua-docroutes-" + std::to_string(::getpid()));
    blobs_ = std::make_unique<app::BlobStore>(dir_ / "files");
    pki_ = std::make_unique<app::Pki>(
        *store_, lifecycle_->access(), clock_, kek_,
        app::PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua", "Sông Trà", "", 20});
    ASSERT_TRUE(pki_->Init(app::Actor::System()).has_value());
    ASSERT_TRUE(pki_->Issue(app::Actor::System(),
                            {sign::CertKind::kOrganisation, "unit:99501", "", "MNS:1234567", 2})
                    .has_value());
    documents_ = std::make_unique<app::Documents>(
        *store_, catalog_, *pki_, *blobs_, lifecycle_->access(), clock_,
        app::LoadResultTemplates(DataDir() / "results" / "templates.json").value(),
        app::DocumentOptions{});
    api_ = std::make_unique<Api>(
        *lifecycle_, nullptr, *auth_, *messages_,
        ApiServices{nullptr, nullptr, nullptr, nullptr, pki_.get(), documents_.get()});
  }
  void TearDown() override { fs::remove_all(dir_); }

  Response Send(verb method, const std::string& target, const std::string& body = {},
                const std::string& type = "application/pdf") const {
    Request req{method, target, 11};
    req.set(beast_http::field::host, "localhost");
    if (!body.empty()) {
      req.set(beast_http::field::content_type, type);
      req.body() = body;
    }
    req.prepare_payload();
    return api_->Handle(req, RequestMeta{"document-routes-test", "127.0.0.1", false});
  }
  static bj::object Json(const Response& r) { return bj::parse(r.body).as_object(); }

  FixedClock clock_{FromVietnamLocal({2026, 3, 2}, 9 * 60)};
  secure::SecretKey kek_ = secure::SecretKey::FromBytes(std::string(32, 'k')).value();
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const app::Catalog> catalog_;
  std::unique_ptr<app::Lifecycle> lifecycle_;
  std::unique_ptr<MessageCatalog> messages_;
  std::unique_ptr<TokenFileAuthenticator> auth_;
  fs::path dir_;
  std::unique_ptr<app::BlobStore> blobs_;
  std::unique_ptr<app::Pki> pki_;
  std::unique_ptr<app::Documents> documents_;
  std::unique_ptr<Api> api_;
};

TEST_F(DocumentRoutesTest, VerifiesAFileAndItsCode) {
  std::string pdf =
      sign::RenderDocument({.unit = "UBND", .title = "Thông báo", .paragraphs = {"Nội dung."}})
          .value();
  auto signed_doc =
      documents_->SignAs(app::Actor::System(), "unit:99501", pdf, "Thông báo").value();

  Response r = Send(verb::post, "/api/v1/verify", signed_doc.second);
  ASSERT_EQ(r.status, 200u) << r.body;
  bj::object v = Json(r);
  EXPECT_EQ(v.at("verdict").as_string(), "valid");
  EXPECT_EQ(v.at("signatures").as_array().size(), 1U);
  EXPECT_EQ(v.at("signatures").at(0).at("kind").as_string(), "organisation");
  EXPECT_EQ(v.at("signatures").at(0).at("signer").at("identifier").as_string(), "MNS:1234567");
  EXPECT_EQ(v.at("document").at("id").as_string(), signed_doc.first.id);

  Response by_code = Send(verb::get, "/api/v1/verify/" + signed_doc.first.verify_code);
  ASSERT_EQ(by_code.status, 200u) << by_code.body;
  EXPECT_EQ(Json(by_code).at("verdict").as_string(), "valid");
  Response unknown = Send(verb::get, "/api/v1/verify/ZZZZZZZZZZZZ");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(Json(unknown).at("code").as_string(), "document.not_found");

  // Unsigned is an answer; not a PDF and a damaged PDF are 422 with a message.
  Response unsigned_pdf = Send(verb::post, "/api/v1/verify", pdf);
  ASSERT_EQ(unsigned_pdf.status, 200u);
  EXPECT_EQ(Json(unsigned_pdf).at("verdict").as_string(), "unsigned");
  Response not_pdf = Send(verb::post, "/api/v1/verify", "GIF89a not a pdf");
  EXPECT_EQ(not_pdf.status, 422u);
  EXPECT_EQ(Json(not_pdf).at("code").as_string(), "pdf.not_pdf");
  EXPECT_FALSE(Json(not_pdf).at("message").as_string().empty());
  std::string broken = signed_doc.second;
  broken.replace(broken.rfind("startxref\n") + 10, 3, "999");
  Response damaged = Send(verb::post, "/api/v1/verify", broken);
  EXPECT_EQ(damaged.status, 422u) << damaged.body;
  EXPECT_EQ(Json(damaged).at("code").as_string(), "pdf.damaged");
  Response empty = Send(verb::post, "/api/v1/verify");
  EXPECT_EQ(empty.status, 422u);
  Response query = Send(verb::post, "/api/v1/verify?x=1", pdf);
  EXPECT_EQ(query.status, 400u);
}

TEST_F(DocumentRoutesTest, TheCaCertificatesAndCrlArePublic) {
  Response ca = Send(verb::get, "/api/v1/pki/ca");
  ASSERT_EQ(ca.status, 200u) << ca.body;
  const bj::object body = Json(ca);
  const auto& items = body.at("authorities").as_array();
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].at("kind").as_string(), "root_ca");
  EXPECT_TRUE(items[0].at("pem").as_string().starts_with("-----BEGIN CERTIFICATE-----"));
  Response crl = Send(verb::get, "/api/v1/pki/crl");
  ASSERT_EQ(crl.status, 200u);
  EXPECT_EQ(crl.content_type, "application/pkix-crl");
  ASSERT_FALSE(crl.body.empty());
  EXPECT_EQ(static_cast<unsigned char>(crl.body[0]), 0x30);  // a DER SEQUENCE
}

TEST_F(DocumentRoutesTest, ManagingAndSigningNeedASignedInPerson) {
  EXPECT_EQ(Send(verb::get, "/api/v1/certificates").status, 401u);
  EXPECT_EQ(Send(verb::post, "/api/v1/certificates", R"({"kind":"personal","holder":"officer:x"})",
                 "application/json")
                .status,
            401u);
  EXPECT_EQ(Send(verb::post, "/api/v1/documents/sign?kind=personal", "%PDF-1.7").status, 401u);
}

}  // namespace
}  // namespace motcua::http
