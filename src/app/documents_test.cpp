// Certificates and electronic results through the app layer on a real SQLite store: the
// hierarchy, a dossier whose leader signs and whose unit seals the result, verification by file
// and by code, revocation and expiry at signing, rebuild and verify with the new events, and
// bad input.
#include "app/documents.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "app/accounts.h"
#include "app/files.h"
#include "app/holdings.h"
#include "app/projection.h"
#include "store/testing.h"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
using domain::DossierState;

fs::path DataDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".") / "data";
}

std::string PdfText(const fs::path& dir, const std::string& pdf) {
  fs::path file = dir / "text.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string out;
  FILE* p = popen(("pdftotext " + file.string() + " - 2>&1").c_str(), "r");
  char buf[4096];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (p) pclose(p);
  return out;
}

class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = store::testing::TempStore::Create("sqlite");
    ASSERT_TRUE(t.has_value()) << t.error().ToString();
    temp_ = std::move(*t);
    store_ = std::move(temp_->Open({.create = true}).value());
    auto from_data = Catalog::FromData(DataDir(), DataDir() / "demo" / "units.json");
    ASSERT_TRUE(from_data.has_value()) << from_data.error().ToString();
    ASSERT_TRUE(ImportCatalog(*store_, **from_data, clock_.Now()).has_value());
    catalog_ = Catalog::Load(*store_, DataDir()).value();
    dir_ = fs::temp_directory_path() /
           ("motcua-documents-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    notifier_ = std::make_unique<SpoolNotifier>(dir_ / "spool");
    AccountsOptions o;
    o.password_cost = secure::kTesting;
    accounts_ = std::make_unique<Accounts>(
        *store_, catalog_, clock_, secure::SecretKey::FromBytes(std::string(32, 'a')).value(),
        *notifier_, o);
    access_ = std::make_unique<Access>(catalog_, clock_);
    pki_ = std::make_unique<Pki>(
        *store_, *access_, clock_, kek_,
        PkiOptions{sign::KeyAlgorithm::kEcP256, "motcua thử nghiệm", "Sông Trà", "", 20});
    blobs_ = std::make_unique<BlobStore>(dir_ / "blobs");
    documents_ = std::make_unique<Documents>(
        *store_, catalog_, *pki_, *blobs_, *access_, clock_,
        LoadResultTemplates(DataDir() / "results" / "templates.json").value(),
        DocumentOptions{"https://motcua.test", "Sông Trà", sign::kDefaultFontPath});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, catalog_, clock_);
    lifecycle_->SetResultIssuer(documents_.get());

    unit_ = catalog_->units().UnitsOn(domain::UnitLevel::kCommune, {2026, 3, 3}).at(0)->code;
    auto init = pki_->Init(Actor::System());
    ASSERT_TRUE(init.has_value()) << init.error().ToString();
    leader_ = Officer("lanhdao", "Trần Thị Lan", "leader");
  }
  void TearDown() override { fs::remove_all(dir_); }

  Actor Officer(const std::string& login, const std::string& name, const std::string& role) {
    auto a = accounts_->CreateOfficer(Actor::System(),
                                      {login, name, unit_, {role}, "", "", "Mat-khau-dai-12345"});
    EXPECT_TRUE(a.has_value()) << a.error().ToString();
    return Accounts::ActorFor(*a);
  }
  static Actor Synthetic(const std::string& unit, const std::string& role) {
    return Actor{Actor::Kind::kOfficer, unit + "." + role, unit, {role}};
  }
  static Actor Citizen() { return Actor{Actor::Kind::kCitizen, "051095000123", "", {}}; }

  // Birth registration, received, waiting at the leader's step (review → approve → issue).
  domain::Dossier AtApproval() {
    SubmitRequest r;
    r.procedure_code = "1.001193";
    r.applicant.id_number = "051095000123";
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = unit_;
    r.competent_unit = unit_;
    for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
      if (c.required) r.components.push_back({c.code, "", true, false, ""});
    }
    auto d = lifecycle_->Submit(Citizen(), r).value();
    auto received = lifecycle_->Receive(Synthetic(unit_, "one_stop_officer"), d.code, {});
    EXPECT_TRUE(received.has_value()) << received.error().ToString() << " " << d.code;
    clock_.Advance(10 * kMicrosPerMinute);
    auto reviewed = lifecycle_->CompleteStep(Synthetic(unit_, "specialist"), d.code, "");
    EXPECT_TRUE(reviewed.has_value()) << reviewed.error().ToString();
    EXPECT_EQ(reviewed->steps[reviewed->current_step].role, "leader");
    return *reviewed;
  }
  void IssueBoth() {
    ASSERT_TRUE(pki_->Issue(Actor::System(),
                            {sign::CertKind::kPersonal, "officer:lanhdao", "Chủ tịch", "", 2})
                    .has_value());
    ASSERT_TRUE(pki_->Issue(Actor::System(),
                            {sign::CertKind::kOrganisation, "unit:" + unit_, "", "MNS:1098765", 2})
                    .has_value());
  }

  FixedClock clock_{FromVietnamLocal({2026, 3, 3}, 9 * 60)};
  secure::SecretKey kek_ = secure::SecretKey::FromBytes(std::string(32, 'k')).value();
  std::unique_ptr<store::testing::TempStore> temp_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Catalog> catalog_;
  fs::path dir_;
  std::unique_ptr<SpoolNotifier> notifier_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Access> access_;
  std::unique_ptr<Pki> pki_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<Documents> documents_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::string unit_;
  Actor leader_;
};

TEST_F(DocumentsTest, LeaderSignsUnitSealsAndAnyoneVerifies) {
  IssueBoth();
  domain::Dossier d = AtApproval();
  auto approved = lifecycle_->CompleteStep(leader_, d.code, "");
  ASSERT_TRUE(approved.has_value()) << approved.error().ToString();
  EXPECT_FALSE(approved->result_document.has_value());  // sealed at the last step
  auto issued = lifecycle_->CompleteStep(Synthetic(unit_, "clerk"), d.code, "");
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  EXPECT_EQ(issued->state, DossierState::kResultReady);
  ASSERT_TRUE(issued->result_document.has_value());
  EXPECT_EQ(issued->result_document->id, d.code + "-KQ1");
  EXPECT_EQ(issued->result_document->verify_code.size(), 12U);

  std::string pdf = documents_->ResultBytes(*issued).value();
  auto v = documents_->Verify(pdf).value();
  EXPECT_EQ(v.Verdict(), "valid");
  ASSERT_EQ(v.pdf.signatures.size(), 2U);
  EXPECT_EQ(v.certificates[0]->kind, sign::CertKind::kPersonal);
  EXPECT_EQ(v.pdf.signatures[0].signer->subject.common_name, "Trần Thị Lan");
  EXPECT_EQ(v.pdf.signatures[0].signer->subject.position, "Chủ tịch");
  EXPECT_EQ(v.certificates[1]->kind, sign::CertKind::kOrganisation);
  EXPECT_EQ(v.pdf.signatures[1].signer->subject.identifier, "MNS:1098765");
  ASSERT_TRUE(v.registered.has_value());
  EXPECT_EQ(v.registered->id, d.code + "-KQ1");
  EXPECT_EQ(v.registered->signatures.size(), 2U);
  auto json = v.ToJson();
  EXPECT_EQ(json.at("verdict").as_string(), "valid");
  EXPECT_TRUE(json.at("document").at("latest_revision").as_bool());

  // By the code printed on the document (spaces and case do not matter).
  std::string code = issued->result_document->verify_code;
  std::string typed = code.substr(0, 4) + " " + code.substr(4);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(documents_->VerifyCode(typed)->Verdict(), "valid");

  // The content comes from the procedure's template, with the dossier's facts.
  std::string text = PdfText(dir_, pdf);
  EXPECT_NE(text.find("TRÍCH LỤC KẾT QUẢ ĐĂNG KÝ KHAI SINH"), std::string::npos) << text;
  EXPECT_NE(text.find("Nguyễn Văn An"), std::string::npos) << text;
  EXPECT_NE(text.find(d.code + "-KQ1"), std::string::npos) << text;
  EXPECT_NE(text.find("Mã kiểm tra: " + code), std::string::npos) << text;

  // The first revision (the leader's signature alone) is a registered, valid, older revision.
  auto history = store_->QueryEvents({.stream_prefix = "document/" + d.code + "-KQ1"}).value();
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].type, "DocumentSigned");
  EXPECT_EQ(history[0].payload.at("signature").at("kind").as_string(), "personal");
  EXPECT_EQ(history[1].payload.at("signature").at("kind").as_string(), "organisation");
}

TEST_F(DocumentsTest, RevokedOrExpiredCertificatesCannotSign) {
  IssueBoth();
  domain::Dossier first = AtApproval();
  ASSERT_TRUE(lifecycle_->CompleteStep(leader_, first.code, "").has_value());
  auto issued = lifecycle_->CompleteStep(Synthetic(unit_, "clerk"), first.code, "").value();
  std::string pdf = documents_->ResultBytes(issued).value();

  // The leader's certificate is revoked a day later.
  clock_.Advance(kMicrosPerDay);
  auto personal = pki_->List(Actor::System(), "").value();
  std::string serial;
  for (const auto& c : personal) {
    if (c.kind == sign::CertKind::kPersonal) serial = c.serial;
  }
  ASSERT_FALSE(serial.empty());
  ASSERT_TRUE(pki_->Revoke(Actor::System(), serial, "Thôi giữ chức vụ", false).has_value());
  EXPECT_EQ(pki_->Revoke(Actor::System(), serial, "again", false).error().key,
            "pki.already_revoked");
  EXPECT_EQ(pki_->KeyFor(leader_.account.empty() ? "" : "officer:" + leader_.account).error().key,
            "pki.certificate_revoked");

  // What it signed before stays valid, and says it was revoked later.
  auto v = documents_->Verify(pdf).value();
  EXPECT_EQ(v.Verdict(), "valid");
  EXPECT_EQ(v.pdf.signatures[0].chain, sign::ChainStatus::kRevokedLater);
  EXPECT_EQ(v.ToJson().at("signatures").at(0).at("certificate_status").as_string(),
            "revoked_later");

  // It cannot sign again: the approval is refused and the dossier stays where it was.
  domain::Dossier second = AtApproval();
  auto refused = lifecycle_->CompleteStep(leader_, second.code, "");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().key, "pki.certificate_revoked");
  EXPECT_EQ(lifecycle_->Get(Actor::System(), second.code)->dossier.version, second.version);

  // The CRL lists it.
  std::string crl = pki_->Crl().value();
  std::ofstream(dir_ / "crl.der", std::ios::binary) << crl;
  FILE* p = popen(
      ("openssl crl -inform DER -noout -text -in " + (dir_ / "crl.der").string()).c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (p) pclose(p);
  EXPECT_NE(out.find(serial), std::string::npos) << out;

  // Two years on, the unit's seal has expired.
  clock_.Advance(2 * 366 * kMicrosPerDay);
  EXPECT_EQ(pki_->KeyFor("unit:" + unit_).error().key, "pki.certificate_expired");
}

TEST_F(DocumentsTest, WithoutCertificatesTheResultIsOnPaper) {
  domain::Dossier d = AtApproval();
  ASSERT_TRUE(lifecycle_->CompleteStep(leader_, d.code, "").has_value());
  auto issued = lifecycle_->CompleteStep(Synthetic(unit_, "clerk"), d.code, "").value();
  EXPECT_EQ(issued.state, DossierState::kResultReady);
  EXPECT_FALSE(issued.result_document.has_value());
  EXPECT_EQ(documents_->ResultBytes(issued).error().key, "document.not_found");
}

TEST_F(DocumentsTest, SigningAnyPdfAndSealingItContinueOneDocument) {
  IssueBoth();
  Actor clerk = Officer("vanthu", "Lê Văn Thư", "clerk");
  auto pdf =
      sign::RenderDocument({.unit = "UBND", .title = "Giấy mời", .paragraphs = {"Kính mời."}});
  ASSERT_TRUE(pdf.has_value());
  auto personal = documents_->Sign(leader_, *pdf, "personal", "Giấy mời họp");
  ASSERT_TRUE(personal.has_value()) << personal.error().ToString();
  auto sealed = documents_->Sign(clerk, personal->second, "organisation", "");
  ASSERT_TRUE(sealed.has_value()) << sealed.error().ToString();
  EXPECT_EQ(sealed->first.id, personal->first.id);
  EXPECT_EQ(sealed->first.signatures.size(), 2U);
  EXPECT_EQ(documents_->Verify(sealed->second)->Verdict(), "valid");

  // A clerk may not sign as the leader, a specialist may not seal, a citizen may do neither.
  EXPECT_EQ(documents_->Sign(clerk, *pdf, "personal", "").error().key, "pki.no_certificate");
  EXPECT_EQ(documents_->Sign(Synthetic(unit_, "specialist"), *pdf, "organisation", "").error().key,
            "auth.forbidden");
  EXPECT_EQ(documents_->Sign(Citizen(), *pdf, "personal", "").error().key, "auth.forbidden");
  EXPECT_EQ(documents_->Sign(leader_, *pdf, "seal", "").error().key, "document.bad_kind");
  EXPECT_EQ(documents_->Sign(leader_, "not a pdf", "personal", "").error().key, "pdf.not_pdf");
}

TEST_F(DocumentsTest, TheReceiptIsSealedOnceByTheReceivingUnit) {
  domain::Dossier d = AtApproval();
  // No seal yet: an unsigned receipt, nothing recorded.
  auto unsigned_receipt = documents_->ReceiptPdf(Citizen(), d).value();
  EXPECT_FALSE(unsigned_receipt.signed_);
  EXPECT_EQ(documents_->Verify(unsigned_receipt.pdf)->Verdict(), "unsigned");
  IssueBoth();
  auto receipt = documents_->ReceiptPdf(Citizen(), d).value();
  ASSERT_TRUE(receipt.signed_);
  auto v = documents_->Verify(receipt.pdf).value();
  EXPECT_EQ(v.Verdict(), "valid");
  ASSERT_TRUE(v.registered.has_value());
  EXPECT_EQ(v.registered->id, d.code + "-TN");
  EXPECT_EQ(v.registered->purpose, "receipt");
  EXPECT_EQ(v.certificates[0]->kind, sign::CertKind::kOrganisation);
  // Asked again: the same bytes, no second signature.
  auto again = documents_->ReceiptPdf(Synthetic(unit_, "one_stop_officer"), d).value();
  EXPECT_EQ(again.pdf, receipt.pdf);
  EXPECT_EQ(store_->QueryEvents({.stream_prefix = "document/" + d.code + "-TN"})->size(), 1U);
  std::string text = PdfText(dir_, receipt.pdf);
  EXPECT_NE(text.find("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), std::string::npos) << text;
  EXPECT_NE(text.find("Nguyễn Văn An"), std::string::npos) << text;
  EXPECT_NE(text.find(FormatViDateTime(*d.due_at)), std::string::npos) << text;

  // A dossier not yet received has no receipt.
  SubmitRequest r;
  r.procedure_code = "1.001193";
  r.applicant.id_number = "051095000123";
  r.applicant.name = "Nguyễn Văn An";
  r.receiving_unit = unit_;
  r.competent_unit = unit_;
  for (const auto& c : catalog_->procedures().Find("1.001193")->components) {
    if (c.required) r.components.push_back({c.code, "", true, false, ""});
  }
  auto fresh = lifecycle_->Submit(Citizen(), r).value();
  EXPECT_EQ(documents_->ReceiptPdf(Citizen(), fresh).error().key, "document.not_received");
}

TEST_F(DocumentsTest, RebuildAndVerifyReplayTheNewEvents) {
  IssueBoth();
  domain::Dossier d = AtApproval();
  ASSERT_TRUE(lifecycle_->CompleteStep(leader_, d.code, "").has_value());
  ASSERT_TRUE(lifecycle_->CompleteStep(Synthetic(unit_, "clerk"), d.code, "").has_value());
  auto report = Verify(*store_).value();
  EXPECT_EQ(report.mismatches, 0) << report.first_mismatch;
  ASSERT_TRUE(Rebuild(*store_).has_value());
  report = Verify(*store_).value();
  EXPECT_EQ(report.mismatches, 0) << report.first_mismatch;
  auto after = lifecycle_->Get(Actor::System(), d.code).value();
  ASSERT_TRUE(after.dossier.result_document.has_value());
  EXPECT_EQ(documents_->VerifyCode(after.dossier.result_document->verify_code)->Verdict(), "valid");
}

TEST_F(DocumentsTest, BadInputGetsAClearAnswer) {
  EXPECT_EQ(pki_->Init(Actor::System()).error().key, "pki.already_initialised");
  EXPECT_EQ(pki_->Issue(Actor::System(), {sign::CertKind::kPersonal, "officer:nobody", "", "", 2})
                .error()
                .key,
            "pki.bad_holder");
  EXPECT_EQ(
      pki_->Issue(Actor::System(), {sign::CertKind::kOrganisation, "officer:lanhdao", "", "", 2})
          .error()
          .key,
      "pki.bad_holder");
  EXPECT_EQ(pki_->Issue(Actor::System(), {sign::CertKind::kPersonal, "officer:lanhdao", "", "", 9})
                .error()
                .key,
            "pki.bad_params");
  EXPECT_EQ(
      pki_->Issue(leader_, {sign::CertKind::kPersonal, "officer:lanhdao", "", "", 2}).error().key,
      "auth.forbidden");
  EXPECT_EQ(pki_->Revoke(Actor::System(), "ABCDEF", "x", false).error().key, "pki.not_found");
  EXPECT_EQ(pki_->Revoke(Actor::System(), "ABCDEF", "", false).error().key, "pki.reason_required");
  EXPECT_EQ(documents_->Verify(std::string(kMaxPdfBytes + 1, '%')).error().key,
            "document.too_large");
  EXPECT_EQ(documents_->Verify("%PDF-1.7 broken").error().key, "pdf.damaged");
  EXPECT_EQ(documents_->VerifyCode("NOPE").error().key, "document.not_found");
  EXPECT_EQ(documents_->VerifyCode(std::string(100, 'A')).error().key, "document.not_found");
  EXPECT_EQ(documents_->VerifyCode("").error().key, "document.not_found");
  // Signing keys are sealed: the private record holds no PKCS#8 key in the clear.
  auto authorities = pki_->Authorities().value();
  auto row = store_->GetSecret("signing_key", authorities[0].serial).value();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->doc.find("MII"), std::string::npos);
  EXPECT_EQ(row->doc.find("BEGIN"), std::string::npos);
}

// Issue #8: an electronic result handed over in one dossier is filed in the applicant's data
// store and taken, instead of a new copy, by a later dossier of the same citizen; the reuse is
// recorded on the component and counted in the unit's figures; replay gives the same rows.
TEST_F(DocumentsTest, AReturnedResultIsReusedInALaterDossierAndCounted) {
  IssueBoth();
  Holdings holdings(*store_, *access_, clock_);
  const Actor officer = Synthetic(unit_, "one_stop_officer");
  domain::Dossier first = AtApproval();
  ASSERT_TRUE(lifecycle_->CompleteStep(leader_, first.code, "").has_value());
  auto issued = lifecycle_->CompleteStep(Synthetic(unit_, "clerk"), first.code, "");
  ASSERT_TRUE(issued.has_value()) << issued.error().ToString();
  ASSERT_TRUE(issued->result_document.has_value());
  // Signed but not handed over: not in the store yet.
  EXPECT_TRUE(holdings.ListOwn(Citizen()).value().empty());
  ASSERT_TRUE(lifecycle_->Return(officer, first.code, "online").has_value());
  auto own = holdings.ListOwn(Citizen());
  ASSERT_TRUE(own.has_value()) << own.error().ToString();
  ASSERT_EQ(own->size(), 1u);
  const domain::Holding h = own->at(0);
  EXPECT_EQ(h.id, "r-" + first.code);
  EXPECT_EQ(h.doc_type, "giay_khai_sinh");
  EXPECT_EQ(h.issuing_unit, unit_);
  EXPECT_EQ(h.file, issued->result_document->file);
  // The counter officer finds it by the applicant's number (and the lookup is audited); another
  // citizen does not see it.
  Actor at_counter = officer;
  at_counter.via = "session";
  EXPECT_EQ(holdings.ListFor(at_counter, "051095000123").value().size(), 1u);
  auto trail = store_->QueryEvents({.type = "ActionAudited"}).value();
  ASSERT_FALSE(trail.empty());
  EXPECT_EQ(trail.back().payload.at("action").as_string(), "holding.read");
  EXPECT_EQ(trail.back().payload.at("target").as_string(), "holdings/051095000123");
  const Actor other{Actor::Kind::kCitizen, "051095000999", "", {}};
  EXPECT_TRUE(holdings.ListOwn(other).value().empty());
  EXPECT_EQ(holdings.ListOwn(officer).error().key, "auth.forbidden");
  EXPECT_EQ(holdings.ListFor(Citizen(), "051095000123").error().key, "auth.forbidden");

  // A later procedure (re-registration of the birth) takes it for its copy of the birth record.
  clock_.Advance(kMicrosPerDay);
  auto later = [&](const std::string& bs_from, const Actor& who, const std::string& id) {
    SubmitRequest r;
    r.procedure_code = "1.004884";
    r.applicant.id_number = id;
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = unit_;
    r.competent_unit = unit_;
    r.components = {{"TK", "", true, false, ""},
                    {"BS", "", true, false, bs_from},
                    {"GTTT", "", true, false, ""}};
    return lifecycle_->Submit(who, r);
  };
  auto second = later("holding:" + h.id, Citizen(), "051095000123");
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  const auto& bs = second->components.at(1);
  EXPECT_EQ(bs.code, "BS");
  EXPECT_EQ(bs.reused_from, "holding:" + h.id);
  ASSERT_EQ(bs.files.size(), 1u);
  EXPECT_EQ(bs.files[0], h.file);
  // The bare id works too; the recorded source is the same.
  auto third = later(h.id, Citizen(), "051095000123");
  ASSERT_TRUE(third.has_value()) << third.error().ToString();
  EXPECT_EQ(third->components.at(1).reused_from, "holding:" + h.id);

  // Refusals: someone else's document, a component that does not take it, a made-up source, a
  // reused component with its own files; nothing is filed for them.
  const int64_t before = store_->HeadSeq().value();
  EXPECT_EQ(later("holding:" + h.id, other, "051095000999").error().key, "holding.not_found");
  EXPECT_EQ(later("kho_du_lieu_cong_dan", Citizen(), "051095000123").error().key,
            "holding.bad_reference");
  {
    SubmitRequest r;
    r.procedure_code = "1.004884";
    r.applicant.id_number = "051095000123";
    r.applicant.name = "Nguyễn Văn An";
    r.receiving_unit = unit_;
    r.competent_unit = unit_;
    r.components = {{"TK", "", true, false, "holding:" + h.id},
                    {"BS", "", true, false, ""},
                    {"GTTT", "", true, false, ""}};
    auto e = lifecycle_->Submit(Citizen(), r);
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error().key, "holding.not_accepted");
    EXPECT_EQ(e.error().Param("component"), "TK");
    // (the citizen's own upload: a real PDF, as the file store checks the content)
    Files files(*store_, *blobs_, *access_, clock_);
    Actor citizen = Citizen();
    citizen.account = "c-051095000123";
    auto up = files.Upload(citizen, "ban-sao.pdf", "application/pdf",
                           documents_->ResultBytes(*issued).value());
    ASSERT_TRUE(up.has_value()) << up.error().ToString();
    r.components = {{"TK", "", true, false, ""},
                    {"BS", "", true, false, "holding:" + h.id, {domain::FileRef{up->ref.id}}},
                    {"GTTT", "", true, false, ""}};
    EXPECT_EQ(lifecycle_->Submit(citizen, r).error().key, "holding.with_files");
  }
  auto refused = store_->QueryEvents({.type = "DossierSubmitted", .after_seq = before}).value();
  EXPECT_TRUE(refused.empty());
  // The national population database is a source of its own (recorded as claimed).
  auto vneid = later("vneid", Citizen(), "051095000123");
  ASSERT_TRUE(vneid.has_value()) << vneid.error().ToString();
  EXPECT_EQ(vneid->components.at(1).reused_from, "vneid");
  EXPECT_TRUE(vneid->components.at(1).files.empty());

  // An expired document is refused with its date.
  domain::Holding old = h;
  old.id = "r-expired";
  old.valid_until = CivilDate{2026, 3, 1};
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) {
                    return tx.PutCatalog({"holding", "051095000123/r-expired",
                                          boost::json::serialize(old.ToJson())});
                  })
                  .has_value());
  auto expired = later("holding:r-expired", Citizen(), "051095000123");
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().key, "holding.expired");
  EXPECT_EQ(expired.error().Param("valid_until"), "01/03/2026");
  ASSERT_TRUE(Rebuild(*store_).has_value());  // the planted row is not from the log: gone

  // Received at the counter: the reuse is counted for the receiving unit.
  ASSERT_TRUE(lifecycle_->Receive(officer, second->code, {"TK", "GTTT"}).has_value());
  ASSERT_TRUE(lifecycle_->Receive(officer, vneid->code, {"TK"}).has_value());
  const Actor viewer = Synthetic(unit_, "leader");
  auto f = holdings.Figures(viewer, unit_, FromVietnamLocal({2026, 3, 1}, 0),
                            FromVietnamLocal({2026, 4, 1}, 0));
  ASSERT_TRUE(f.has_value()) << f.error().ToString();
  EXPECT_EQ(f->dossiers, 3);  // the first, the second and the one from VNeID (not the third)
  EXPECT_EQ(f->dossiers_reusing, 2);
  EXPECT_EQ(f->components_reused, 2);
  EXPECT_EQ(f->components, 3 + 3 + 3);
  EXPECT_EQ(f->components_digitised, 2 + 1);
  EXPECT_EQ(f->dossiers_all_digitised, 1);  // the second: TK and GTTT scanned, BS reused
  EXPECT_EQ(f->results, 1);
  EXPECT_EQ(f->results_electronic, 1);
  EXPECT_EQ(holdings.Figures(Citizen(), unit_, FromVietnamLocal({2026, 3, 1}, 0),
                             FromVietnamLocal({2026, 4, 1}, 0))
                .error()
                .key,
            "auth.forbidden");

  // The rows are projections of the log: verify replays them, rebuild writes the same.
  auto report = Verify(*store_);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->mismatches, 0) << report->first_mismatch;
  const auto rows = store_->ListCatalog("holding").value();
  ASSERT_TRUE(Rebuild(*store_).has_value());
  EXPECT_EQ(store_->ListCatalog("holding").value(), rows);
}

}  // namespace
}  // namespace motcua::app
