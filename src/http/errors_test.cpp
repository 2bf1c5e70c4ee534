// The error edge: the ErrorCode → HTTP status table, Accept-Language, message rendering, and the
// catalogue's completeness — every error key written in the sources (scanned from
// $MOTCUA_SOURCE_DIR/src) must have a Vietnamese and an English message.
#include "http/errors.h"

#include "domain/access.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace motcua::http {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return fs::path(src ? src : ".");
}

MessageCatalog Catalogue() {
  auto c = MessageCatalog::Load(SourceDir() / "data" / "messages.json");
  EXPECT_TRUE(c.has_value()) << c.error().ToString();
  return c ? *c : MessageCatalog::BuiltIn();
}

Error E(ErrorCode code, std::string key = "x.y") { return Error{code, std::move(key), {}, {}}; }

TEST(HttpStatusTest, OneMappingForEveryCode) {
  EXPECT_EQ(HttpStatus(E(ErrorCode::kInvalidArgument)), 400u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kNotFound)), 404u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kAlreadyExists)), 409u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kFailedPrecondition)), 409u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kAborted)), 409u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kUnavailable)), 503u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kPermissionDenied)), 403u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kUnauthenticated)), 401u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kResourceExhausted)), 429u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kDeadlineExceeded)), 504u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kDataLoss)), 500u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kInternal)), 500u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kResourceExhausted, "http.body_too_large")), 413u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kResourceExhausted, "http.headers_too_large")), 431u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kInvalidArgument, "http.unsupported_media_type")), 415u);
  EXPECT_EQ(HttpStatus(E(ErrorCode::kInvalidArgument, "http.method_not_allowed")), 405u);
}

TEST(PreferredLanguageTest, VietnameseUnlessEnglishIsPreferred) {
  EXPECT_EQ(PreferredLanguage(""), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("vi"), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("fr-FR,fr;q=0.9"), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("en"), Lang::kEn);
  EXPECT_EQ(PreferredLanguage("en-US,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(PreferredLanguage("EN-gb"), Lang::kEn);
  EXPECT_EQ(PreferredLanguage("vi-VN,vi;q=0.9,en;q=0.8"), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("vi;q=0.5, en;q=0.8"), Lang::kEn);
  EXPECT_EQ(PreferredLanguage("en;q=0.5, vi"), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("en;q=0"), Lang::kVi);
  EXPECT_EQ(PreferredLanguage("en;q=abc, ;;, ,"), Lang::kVi);  // malformed parts ignored
  EXPECT_EQ(PreferredLanguage("*;q=0.1, en-AU;q=0.3"), Lang::kEn);
}

TEST(RenderErrorTest, BodyHasStableCodeCatalogueMessageRequestIdAndParams) {
  const MessageCatalog messages = Catalogue();
  Error e{ErrorCode::kFailedPrecondition,
          "dossier.illegal_transition",
          "SECRET detail: SELECT * FROM dossiers",
          {}};
  e.With("action", "return").With("state", "submitted");
  ErrorReply vi = RenderError(e, messages, Lang::kVi, "req-1");
  EXPECT_EQ(vi.status, 409u);
  auto body = boost::json::parse(vi.body).as_object();
  EXPECT_EQ(body.at("code").as_string(), "dossier.illegal_transition");
  EXPECT_EQ(body.at("request_id").as_string(), "req-1");
  EXPECT_EQ(body.at("params").at("state").as_string(), "submitted");
  const std::string msg(body.at("message").as_string());
  EXPECT_NE(msg.find("submitted"), std::string::npos) << msg;
  EXPECT_EQ(vi.body.find("SECRET"), std::string::npos);  // detail stays in the log
  ErrorReply en = RenderError(e, messages, Lang::kEn, "req-1");
  EXPECT_NE(en.body, vi.body);
}

TEST(RenderErrorTest, UnknownKeyFallsBackToTheGenericMessageOfItsCode) {
  const MessageCatalog messages = Catalogue();
  ErrorReply r = RenderError(E(ErrorCode::kPermissionDenied, "dossier.not_in_catalogue"), messages,
                             Lang::kEn, "req-2");
  EXPECT_EQ(r.status, 403u);
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("code").as_string(), "dossier.not_in_catalogue");
  EXPECT_EQ(body.at("message").as_string(),
            *messages.Find(GenericKey(ErrorCode::kPermissionDenied), Lang::kEn));
  EXPECT_FALSE(body.contains("params"));
}

TEST(RenderErrorTest, AbortedCarriesRetryAfter) {
  ErrorReply r = RenderError(E(ErrorCode::kAborted, "store.busy"), MessageCatalog::BuiltIn(),
                             Lang::kVi, "req-3");
  EXPECT_EQ(r.status, 409u);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
}

TEST(SubstituteTest, ReplacesKnownPlaceholdersOnly) {
  EXPECT_EQ(Substitute("a {x} b {y} {", {{"x", "1"}}), "a 1 b {y} {");
  EXPECT_EQ(Substitute("{x}{x}", {{"x", "ab"}}), "abab");
  EXPECT_EQ(Substitute("", {}), "");
}

TEST(MessageCatalogTest, RejectsEntriesWithoutBothLanguages) {
  EXPECT_FALSE(MessageCatalog::FromJson(boost::json::parse(R"({"a.b": {"vi": "x"}})")));
  EXPECT_FALSE(MessageCatalog::FromJson(boost::json::parse(R"({"a.b": {"vi": "", "en": "x"}})")));
  EXPECT_FALSE(MessageCatalog::FromJson(boost::json::parse(R"([1])")));
  EXPECT_TRUE(MessageCatalog::FromJson(boost::json::parse(R"({"a.b": {"vi": "x", "en": "y"}})")));
}

// The prefixes of the error keys of the layers (DESIGN.md: every user-visible string is in the
// catalogue).
const char* const kPrefixes =
    "dossier|store|json|time|calendar|applicant|procedure|codes|unit|auth|http|data|projection|"
    "cli|demo|account|token|notify|secure|openapi|pki|pdf|sign|document|documents|vietqr|gateway|bank|"
    "statement|payment|fee|holding|figures|ocr|file|blob|scan";

std::set<std::string> KeysUsedInSources() {
  const std::regex literal("\"((?:" + std::string(kPrefixes) + R"re()\.[a-z][a-z0-9_]*))re");
  std::set<std::string> keys;
  for (const auto& entry : fs::recursive_directory_iterator(SourceDir() / "src")) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file()) continue;
    if (p.extension() != ".cpp" && p.extension() != ".h") continue;
    // Tests use made-up keys on purpose.
    if (p.stem().string().ends_with("_test")) continue;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
      // Comments mention field paths and example keys; only code counts.
      const size_t first = line.find_first_not_of(" \t");
      if (first != std::string::npos && line.compare(first, 2, "//") == 0) continue;
      for (std::sregex_iterator it(line.begin(), line.end(), literal), end; it != end; ++it) {
        const std::string key = (*it)[1].str();
        // Field paths handed to json::BadField ("applicant.name") and file names are not keys.
        const auto at = static_cast<size_t>(it->position(0));
        if (line.rfind("BadField(", at) != std::string::npos &&
            line.rfind("BadField(", at) + 9 == at) {
          continue;
        }
        if (key.ends_with(".json") || line.compare(at + 1 + key.size(), 1, "\"") != 0) {
          continue;
        }
        keys.insert(key);
      }
    }
  }
  return keys;
}

TEST(MessageCatalogTest, EveryErrorKeyInTheSourcesHasAMessage) {
  const MessageCatalog messages = Catalogue();
  const std::set<std::string> keys = KeysUsedInSources();
  // The scan itself works: some well-known keys are found.
  EXPECT_TRUE(keys.contains("dossier.illegal_transition"));
  EXPECT_TRUE(keys.contains("applicant.bad_id_number"));
  EXPECT_TRUE(keys.contains("http.body_too_large"));
  EXPECT_TRUE(keys.contains("auth.invalid"));
  EXPECT_GT(keys.size(), 60u);
  for (const std::string& key : keys) {
    // Permission-table action names share the dotted form ("dossier.receive"); they are not
    // error keys. Audit record targets ("account.create" as an action) likewise.
    if (domain::IsKnownAction(key)) continue;
    EXPECT_TRUE(messages.Has(key)) << key << " is used in src/ but missing from data/messages.json";
  }
}

TEST(MessageCatalogTest, GenericMessagesAndPlaceholdersAgreeAcrossLanguages) {
  const MessageCatalog messages = Catalogue();
  for (ErrorCode code :
       {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kAlreadyExists,
        ErrorCode::kFailedPrecondition, ErrorCode::kAborted, ErrorCode::kUnavailable,
        ErrorCode::kPermissionDenied, ErrorCode::kUnauthenticated, ErrorCode::kResourceExhausted,
        ErrorCode::kDeadlineExceeded, ErrorCode::kDataLoss, ErrorCode::kInternal}) {
    EXPECT_TRUE(messages.Has(GenericKey(code))) << GenericKey(code);
  }
  EXPECT_TRUE(messages.Has("internal"));
  const std::regex placeholder(R"(\{([a-z_]+)\})");
  auto names = [&](const std::string& s) {
    std::set<std::string> out;
    for (std::sregex_iterator it(s.begin(), s.end(), placeholder), end; it != end; ++it) {
      out.insert((*it)[1].str());
    }
    return out;
  };
  for (const std::string& key : messages.Keys()) {
    auto t = messages.Templates(key);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(names(t->first), names(t->second)) << key;
  }
}

}  // namespace
}  // namespace motcua::http
