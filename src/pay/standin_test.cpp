// The motcua-gateway stand-in as a child process: its payment page checks signatures, paying
// or cancelling delivers one signed IPN (retried while the merchant fails) and redirects back
// with verifiable parameters, IPNs can be replayed, and bank transfers arrive signed. The
// merchant side is a small HTTP listener inside this test.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "base/json.h"
#include "pay/bank.h"
#include "pay/config.h"
#include "pay/gateway.h"
#include "pay/standin/http_util.h"

extern char** environ;

namespace motcua::pay {
namespace {

namespace fs = std::filesystem;
using standin::HttpCall;
using standin::HttpReply;
using standin::HttpServer;
using standin::MakeResponse;
using standin::Request;
using standin::Response;

constexpr const char* kHashSecret = "a3f1c2d4e5b60718293a4b5c6d7e8f90";
constexpr const char* kNotifySecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

// The merchant: records what arrives; answers IPNs from a script (then "00" when the signature
// verifies, "97" when not) and bank notifications with {"ok":true}.
class Merchant {
 public:
  enum class Next { kOk, kStatus500, kClose };

  struct Received {
    std::string path, query, body, signature, content_type;
  };

  Merchant() {
    auto s = HttpServer::Listen("127.0.0.1", 0, [this](const Request& r) { return Handle(r); });
    EXPECT_TRUE(s.has_value()) << s.error().ToString();
    server_ = std::move(*s);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~Merchant() {
    server_->Stop();
    thread_.join();
  }

  uint16_t port() const { return server_->port(); }
  void Script(std::vector<Next> next) {
    std::lock_guard lock(mu_);
    script_.assign(next.begin(), next.end());
  }
  std::vector<Received> Ipns() {
    std::lock_guard lock(mu_);
    return ipns_;
  }
  std::vector<Received> Notifications() {
    std::lock_guard lock(mu_);
    return notifications_;
  }
  GatewayConfig gateway;  // what IPNs are verified against (set before use)

 private:
  std::optional<Response> Handle(const Request& r) {
    std::string_view target = r.target();
    const size_t q = target.find('?');
    Received got{std::string(target.substr(0, q)),
                 q == std::string_view::npos ? "" : std::string(target.substr(q + 1)), r.body(),
                 std::string(r["X-Signature"]), std::string(r["Content-Type"])};
    std::lock_guard lock(mu_);
    if (got.path == "/notify") {
      notifications_.push_back(got);
      return MakeResponse(200, R"({"ok":true})", "application/json");
    }
    if (got.path != "/ipn") return MakeResponse(404, "no");
    ipns_.push_back(got);
    Next next = Next::kOk;
    if (!script_.empty()) {
      next = script_.front();
      script_.pop_front();
    }
    if (next == Next::kStatus500) return MakeResponse(500, "busy");
    if (next == Next::kClose) return std::nullopt;
    auto params = ParseQuery(got.query);
    const bool ok = params && VerifyNotification(gateway, *params).has_value();
    return MakeResponse(200, IpnAnswer(ok ? "00" : "97"), "application/json");
  }

  std::mutex mu_;
  std::deque<Next> script_;
  std::vector<Received> ipns_, notifications_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

// The stand-in as a child process, killed and reaped when the guard goes away.
class ChildGuard {
 public:
  ChildGuard(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    stdout_ = fds[0];
  }
  ~ChildGuard() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

  // The first line the child prints (without the newline); empty if it exits or stays silent
  // for a minute.
  std::string FirstLine() {
    std::string line;
    while (pid_ > 0 && stdout_ >= 0) {
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, 60'000) <= 0) break;
      char c = 0;
      if (read(stdout_, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
};

class StandinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("motcua-standin-" + std::to_string(rd()));
    fs::create_directories(dir_);
    const std::string merchant = "http://127.0.0.1:" + std::to_string(merchant_.port());
    PaymentConfig c;
    c.gateway = {"http://127.0.0.1:1/paymentv2/vpcpay.html", "MOTCUA01", kHashSecret};
    c.platform = "province";
    c.ipn_url = merchant + "/ipn";
    c.return_url = merchant + "/return";
    c.bank = {"970415", "0011001932418", "KHO BAC NHA NUOC TINH SONG TRA", merchant + "/notify",
              kNotifySecret};
    config_ = c;
    const fs::path file = dir_ / "payment.json";
    std::ofstream(file) << PaymentConfigJson(c);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);

    child_ = std::make_unique<ChildGuard>(std::vector<std::string>{
        MOTCUA_GATEWAY_BIN, "--listen", "127.0.0.1:0", "--config", file.string()});
    const std::string line = child_->FirstLine();
    ASSERT_TRUE(line.starts_with("listening 127.0.0.1:")) << "first line: " << line;
    base_ = "http://" + line.substr(std::string("listening ").size());
    config_.gateway.url = base_ + "/paymentv2/vpcpay.html";
    merchant_.gateway = config_.gateway;
  }
  void TearDown() override {
    child_.reset();
    fs::remove_all(dir_);
  }

  PaymentOrder Order(std::string info = "Thanh toan le phi ho so 99501-260105-0007") {
    PaymentOrder o;
    o.txn_ref = "MC99501260105000701T1";
    o.amount = 75000;
    o.order_info = std::move(info);
    o.return_url = "http://127.0.0.1:" + std::to_string(merchant_.port()) + "/return";
    o.ip_address = "127.0.0.1";
    o.created_at = SystemClock().Now();
    o.expires_at = Timestamp{o.created_at.us + 15 * kMicrosPerMinute};
    return o;
  }

  std::string OrderQuery(const PaymentOrder& o) {
    const std::string url = PaymentUrl(config_.gateway, o).value();
    return url.substr(url.find('?') + 1);
  }

  HttpReply Get(const std::string& path) {
    auto r = HttpCall("GET", base_ + path);
    EXPECT_TRUE(r.has_value()) << path << ": " << r.error().ToString();
    return r.value_or(HttpReply{});
  }
  HttpReply Post(const std::string& path, std::string body, std::string type = "application/json") {
    auto r = HttpCall("POST", base_ + path, std::move(body), {{"Content-Type", type}},
                      std::chrono::seconds(60));
    EXPECT_TRUE(r.has_value()) << path << ": " << r.error().ToString();
    return r.value_or(HttpReply{});
  }
  HttpReply PayForm(const std::string& query, const std::string& outcome) {
    return Post("/paymentv2/pay", "query=" + FormEncode(query) + "&outcome=" + outcome,
                "application/x-www-form-urlencoded");
  }
  // The verified parameters of a 303's Location (which must start with `prefix` + "?").
  Result<GatewayResult> FromLocation(const HttpReply& r, const std::string& prefix) {
    const std::string location = r.Header("Location");
    EXPECT_TRUE(location.starts_with(prefix + "?")) << location;
    auto params = ParseQuery(location.substr(std::min(location.size(), prefix.size() + 1)));
    if (!params) return Fail(params.error());
    return VerifyNotification(config_.gateway, *params);
  }
  Result<GatewayResult> FromIpn(const Merchant::Received& ipn) {
    auto params = ParseQuery(ipn.query);
    if (!params) return Fail(params.error());
    return VerifyNotification(config_.gateway, *params);
  }

  Merchant merchant_;
  fs::path dir_;
  PaymentConfig config_;
  std::unique_ptr<ChildGuard> child_;
  std::string base_;
};

TEST_F(StandinTest, PaymentPageChecksTheSignature) {
  EXPECT_EQ(Get("/healthz").body, "ok");
  const std::string query = OrderQuery(Order("Le phi <script>alert(1)</script> & \"x\""));
  HttpReply page = Get("/paymentv2/vpcpay.html?" + query);
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.Header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("lang=\"vi\""), std::string::npos);
  EXPECT_NE(page.body.find("75.000 \xE2\x82\xAB"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("MC99501260105000701T1"), std::string::npos);
  EXPECT_NE(page.body.find("MOTCUA01"), std::string::npos);
  EXPECT_NE(
      page.body.find(R"(<button id="pay" name="outcome" value="success">Thanh toán</button>)"),
      std::string::npos);
  EXPECT_NE(
      page.body.find(R"(<button id="cancel" name="outcome" value="cancel">Hủy giao dịch</button>)"),
      std::string::npos);
  EXPECT_NE(page.body.find("type=\"hidden\" name=\"query\""), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;"), std::string::npos);

  std::string tampered = query;
  tampered.replace(tampered.find("vnp_Amount=7500000"), 18, "vnp_Amount=7600000");
  HttpReply bad = Get("/paymentv2/vpcpay.html?" + tampered);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Sai chữ ký"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("Invalid signature"), std::string::npos);
  EXPECT_EQ(Get("/paymentv2/vpcpay.html?" + query.substr(0, query.find("&vnp_SecureHash"))).status,
            400);
  EXPECT_EQ(Get("/paymentv2/vpcpay.html?a=1&a=2").status, 400);
  EXPECT_EQ(Get("/paymentv2/vpcpay.html").status, 400);
  EXPECT_EQ(Get("/nothing").status, 404);
  EXPECT_TRUE(merchant_.Ipns().empty());
}

TEST_F(StandinTest, PayingDeliversOneIpnAndRedirectsWithSignedParams) {
  const PaymentOrder order = Order();
  HttpReply r = PayForm(OrderQuery(order), "success");
  ASSERT_EQ(r.status, 303) << r.body;
  auto back = FromLocation(r, order.return_url);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_TRUE(back->success());
  EXPECT_EQ(back->txn_ref, order.txn_ref);
  EXPECT_EQ(back->amount, 75000);
  EXPECT_EQ(back->bank_code, "NCB");
  EXPECT_TRUE(back->bank_tran_no.starts_with("VNP")) << back->bank_tran_no;
  EXPECT_GE(back->transaction_no.size(), 8u);
  EXPECT_TRUE(ParseGatewayTime(back->pay_date).has_value()) << back->pay_date;

  const auto ipns = merchant_.Ipns();
  ASSERT_EQ(ipns.size(), 1u);
  auto ipn = FromIpn(ipns[0]);
  ASSERT_TRUE(ipn.has_value()) << ipn.error().ToString();
  EXPECT_TRUE(ipn->success());
  EXPECT_EQ(ipn->transaction_no, back->transaction_no);
  EXPECT_EQ(ipn->amount, 75000);

  // A second payment gets a larger, different number; the log lists both with their answers.
  HttpReply again = PayForm(OrderQuery(order), "success");
  ASSERT_EQ(again.status, 303);
  auto second = FromLocation(again, order.return_url);
  ASSERT_TRUE(second.has_value());
  EXPECT_GT(std::stoll(second->transaction_no), std::stoll(back->transaction_no));
  auto list = json::Parse(Get("/api/transactions").body);
  ASSERT_TRUE(list.has_value());
  ASSERT_TRUE(list->is_array());
  ASSERT_EQ(list->as_array().size(), 2u);
  const auto& first = list->as_array()[0].as_object();
  EXPECT_EQ(first.at("transaction_no").as_string(), back->transaction_no);
  EXPECT_EQ(first.at("ipn_answers").as_array().size(), 1u);
  EXPECT_EQ(first.at("ipn_answers").as_array()[0].as_string(), "00");
  EXPECT_EQ(first.at("params").as_object().at("vnp_TxnRef").as_string(), order.txn_ref);
}

TEST_F(StandinTest, IpnIsRetriedWhileTheMerchantFails) {
  merchant_.Script({Merchant::Next::kStatus500, Merchant::Next::kClose});
  HttpReply r = PayForm(OrderQuery(Order()), "success");
  ASSERT_EQ(r.status, 303) << r.body;
  const auto ipns = merchant_.Ipns();
  ASSERT_EQ(ipns.size(), 3u);
  EXPECT_EQ(ipns[0].query, ipns[2].query);
  EXPECT_TRUE(FromIpn(ipns[2]).has_value());
  auto list = json::Parse(Get("/api/transactions").body);
  ASSERT_TRUE(list.has_value());
  const auto& delivery =
      list->as_array().at(0).as_object().at("deliveries").as_array().at(0).as_object();
  EXPECT_EQ(delivery.at("attempts").as_int64(), 3);
  EXPECT_EQ(delivery.at("rsp_code").as_string(), "00");
}

TEST_F(StandinTest, CancellingReportsCode24) {
  const PaymentOrder order = Order();
  HttpReply r = PayForm(OrderQuery(order), "cancel");
  ASSERT_EQ(r.status, 303) << r.body;
  auto back = FromLocation(r, order.return_url);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->response_code, "24");
  EXPECT_EQ(back->transaction_status, "02");
  EXPECT_FALSE(back->success());
  const auto ipns = merchant_.Ipns();
  ASSERT_EQ(ipns.size(), 1u);
  auto ipn = FromIpn(ipns[0]);
  ASSERT_TRUE(ipn.has_value());
  EXPECT_EQ(ipn->response_code, "24");
  EXPECT_FALSE(ipn->success());
}

TEST_F(StandinTest, ResendDeliversTheSameNotificationAgain) {
  HttpReply r = PayForm(OrderQuery(Order()), "success");
  ASSERT_EQ(r.status, 303);
  auto back = FromLocation(r, Order().return_url);
  ASSERT_TRUE(back.has_value());
  const std::string no = back->transaction_no;

  HttpReply resent = Post("/api/ipn/resend", R"({"transaction_no":")" + no + R"(","times":3})");
  ASSERT_EQ(resent.status, 200) << resent.body;
  auto answers = json::Parse(resent.body);
  ASSERT_TRUE(answers.has_value());
  EXPECT_EQ(boost::json::serialize(answers->at("answers")), R"(["00","00","00"])");
  auto ipns = merchant_.Ipns();
  ASSERT_EQ(ipns.size(), 4u);
  for (const auto& ipn : ipns) EXPECT_EQ(ipn.query, ipns[0].query);

  HttpReply mixed = Post("/api/ipn/resend", R"({"transaction_no":")" + no +
                                                R"(","times":4,"shuffle_with_failure":true})");
  ASSERT_EQ(mixed.status, 200) << mixed.body;
  auto m = json::Parse(mixed.body);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(boost::json::serialize(m->at("answers")), R"(["00","97","00","97"])");
  EXPECT_EQ(merchant_.Ipns().size(), 8u);

  EXPECT_EQ(Post("/api/ipn/resend", R"({"transaction_no":"1","times":1})").status, 404);
  EXPECT_EQ(Post("/api/ipn/resend", R"({"transaction_no":")" + no + R"(","times":0})").status, 400);
  EXPECT_EQ(Post("/api/ipn/resend", "{").status, 400);
  EXPECT_EQ(Post("/api/ipn/resend", R"({"times":1})").status, 400);
}

TEST_F(StandinTest, BankTransferArrivesSigned) {
  HttpReply r = Post("/api/bank/transfer",
                     R"({"content":"MC99501260105000701T1 nop le phi","amount":75000})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto answer = json::Parse(r.body);
  ASSERT_TRUE(answer.has_value()) << r.body;
  EXPECT_EQ(answer->at("status").as_int64(), 200);
  EXPECT_TRUE(answer->at("answer").at("ok").as_bool());
  const std::string id(answer->at("id").as_string());
  EXPECT_FALSE(id.empty());

  const auto got = merchant_.Notifications();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].content_type, "application/json");
  auto credit = VerifyBankCredit(got[0].body, got[0].signature, kNotifySecret);
  ASSERT_TRUE(credit.has_value()) << credit.error().ToString();
  EXPECT_EQ(credit->id, id);
  EXPECT_EQ(credit->account, "0011001932418");
  EXPECT_EQ(credit->amount, 75000);
  EXPECT_EQ(credit->content, "MC99501260105000701T1 nop le phi");
  EXPECT_EQ(credit->direction, "in");
  EXPECT_EQ(credit->bank, "970415");
  EXPECT_EQ(FindReference(credit->content), "MC99501260105000701T1");
  EXPECT_FALSE(VerifyBankCredit(got[0].body, got[0].signature, "another secret").has_value());

  HttpReply named = Post("/api/bank/transfer",
                         R"({"content":"x","amount":5,"id":"FT2612030001","account":"123"})");
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(json::Parse(named.body)->at("id").as_string(), "FT2612030001");
  const auto both = merchant_.Notifications();
  ASSERT_EQ(both.size(), 2u);
  auto second = VerifyBankCredit(both[1].body, both[1].signature, kNotifySecret);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->account, "123");
}

TEST_F(StandinTest, BadInputGets400AndNeverStopsTheProcess) {
  const std::string query = OrderQuery(Order());
  EXPECT_EQ(
      Post("/paymentv2/pay", "query=" + FormEncode(query), "application/x-www-form-urlencoded")
          .status,
      400);
  EXPECT_EQ(PayForm(query, "maybe").status, 400);
  std::string tampered = query;
  tampered.replace(tampered.find("vnp_Amount=7500000"), 18, "vnp_Amount=7600000");
  EXPECT_EQ(PayForm(tampered, "success").status, 400);
  EXPECT_EQ(Post("/paymentv2/pay", "%%%", "application/x-www-form-urlencoded").status, 400);
  EXPECT_TRUE(merchant_.Ipns().empty());
  for (const char* body :
       {"", "[]", "{\"content\":\"x\"}", "{\"content\":\"x\",\"amount\":-1}",
        "{\"content\":1,\"amount\":5}", "{\"content\":\"x\",\"amount\":5,\"id\":7}",
        "{\"content\":\"x\",\"amount\":1e400}"}) {
    EXPECT_EQ(Post("/api/bank/transfer", body).status, 400) << body;
  }
  EXPECT_TRUE(merchant_.Notifications().empty());
  EXPECT_EQ(Post("/api/transactions", "{}").status, 405);
  EXPECT_EQ(Get("/api/transactions").body, "[]\n");
  EXPECT_EQ(Get("/healthz").status, 200);
}

}  // namespace
}  // namespace motcua::pay
