// motcua-gateway: a LOCAL STAND-IN for the payment gateway (vnp_ redirect protocol) and for the
// collecting bank's credit notifications, for tests and the demo. Never a real gateway: it takes
// no money, it just lets a person (or a test) press "pay" or "cancel" and then calls the
// merchant's IPN URL and redirects back, with signatures made under the configured secret.
// One thread; every request is answered in turn (an IPN delivery blocks the others, by design).
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"
#include "base/time.h"
#include "pay/bank.h"
#include "pay/config.h"
#include "pay/gateway.h"
#include "pay/standin/http_util.h"

namespace motcua::pay::standin {
namespace {

namespace http = boost::beast::http;

constexpr int kIpnAttempts = 6;  // the first delivery and up to five retries

struct Delivery {
  int attempts = 0;
  int status = 0;        // HTTP status of the last attempt, 0 when none arrived
  std::string rsp_code;  // empty when no attempt got a JSON object with RspCode
  bool tampered = false;
};

struct Transaction {
  std::string transaction_no;
  std::string outcome;  // success | cancel
  std::string return_url;
  Params params;  // the signed notification
  std::vector<Delivery> deliveries;
};

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// "75.000 ₫"
std::string FormatVnd(int64_t amount) {
  std::string digits = std::to_string(amount);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out + " \xE2\x82\xAB";
}

// Every parameter, the signature included, as a query string.
std::string EncodeAll(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += FormEncode(k) + "=" + FormEncode(v);
  }
  return out;
}

std::string Join(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string PathOf(const Request& req) {
  std::string_view t = req.target();
  return std::string(t.substr(0, t.find('?')));
}

std::string QueryOf(const Request& req) {
  std::string_view t = req.target();
  const size_t q = t.find('?');
  return q == std::string_view::npos ? std::string() : std::string(t.substr(q + 1));
}

Response Html(unsigned status, std::string body) {
  return MakeResponse(status, std::move(body), "text/html; charset=utf-8");
}

Response Json(unsigned status, const boost::json::value& v) {
  return MakeResponse(status, boost::json::serialize(v) + "\n", "application/json");
}

Response BadRequest(std::string_view message) {
  return MakeResponse(400, std::string(message) + "\n");
}

std::string Page(std::string_view title, std::string_view body) {
  return "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" +
         HtmlEscape(title) +
         "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto}"
         "dt{font-weight:bold}button{font-size:1.1em;margin:.5em}</style></head><body>" +
         std::string(body) + "</body></html>\n";
}

Response InvalidOrderPage(const Error& e) {
  const bool signature = e.key == "gateway.bad_signature";
  const std::string vi = signature ? "Sai chữ ký" : "Yêu cầu thanh toán không hợp lệ";
  const std::string en = signature ? "Invalid signature" : "Invalid payment request";
  return Html(400, Page(vi, "<h1>" + vi + "</h1><p lang=\"en\">" + en + "</p>"));
}

class StandIn {
 public:
  explicit StandIn(PaymentConfig config) : config_(std::move(config)) {
    // Seeded from the clock (milliseconds since the epoch), so two runs never hand out the same
    // numbers; each number is also at least the current time, so it keeps increasing.
    last_no_ = SystemClock().Now().us / 1000;
  }

  std::optional<Response> Handle(const Request& req) {
    Response res = Route(req);
    std::cerr << "motcua-gateway: " << req.method_string() << " " << PathOf(req) << " "
              << res.result_int() << "\n";
    return res;
  }

 private:
  Response Route(const Request& req) {
    const std::string path = PathOf(req);
    const bool get = req.method() == http::verb::get, post = req.method() == http::verb::post;
    if (path == "/healthz" && get) return MakeResponse(200, "ok");
    if (path == "/paymentv2/vpcpay.html" && get) return PaymentPage(QueryOf(req));
    if (path == "/paymentv2/pay" && post) return Pay(req);
    if (path == "/api/ipn/resend" && post) return Resend(req);
    if (path == "/api/transactions" && get) return Transactions();
    if (path == "/api/bank/transfer" && post) return Transfer(req);
    if (path == "/healthz" || path == "/paymentv2/vpcpay.html" || path == "/paymentv2/pay" ||
        path.starts_with("/api/")) {
      return MakeResponse(405, "method not allowed\n");
    }
    return MakeResponse(404, "not found\n");
  }

  std::string NextNumber() {
    last_no_ = std::max(last_no_ + 1, SystemClock().Now().us / 1000);
    return std::to_string(last_no_);
  }

  Response PaymentPage(const std::string& query) {
    auto params = ParseQuery(query);
    if (!params) return BadRequest("malformed query");
    auto order = VerifyOrder(config_.gateway, *params);
    if (!order) return InvalidOrderPage(order.error());
    std::string body =
        "<h1>Cổng thanh toán (mô phỏng)</h1><p lang=\"en\">Payment gateway (local stand-in)</p>"
        "<dl><dt>Mã đơn vị / Merchant</dt><dd id=\"merchant\">" +
        HtmlEscape(config_.gateway.tmn_code) + "</dd><dt>Số tiền / Amount</dt><dd id=\"amount\">" +
        HtmlEscape(FormatVnd(order->amount)) +
        "</dd><dt>Nội dung / Order</dt><dd id=\"order-info\">" + HtmlEscape(order->order_info) +
        "</dd><dt>Mã tham chiếu / Reference</dt><dd id=\"reference\">" +
        HtmlEscape(order->txn_ref) +
        "</dd></dl><form method=\"post\" action=\"/paymentv2/pay\">"
        "<input type=\"hidden\" name=\"query\" value=\"" +
        HtmlEscape(query) +
        "\"><button id=\"pay\" name=\"outcome\" value=\"success\">Thanh toán</button>"
        "<button id=\"cancel\" name=\"outcome\" value=\"cancel\">Hủy giao dịch</button></form>";
    return Html(200, Page("Thanh toán", body));
  }

  // Delivers an IPN: retries (0.2 s, 0.4 s, … apart) while the connection fails or the answer is
  // not a JSON object with RspCode.
  Delivery DeliverIpn(const Params& params) {
    Delivery d;
    const std::string url = Join(config_.ipn_url, EncodeAll(params));
    std::chrono::milliseconds backoff(200);
    for (d.attempts = 1; d.attempts <= kIpnAttempts; ++d.attempts) {
      auto reply = HttpCall("GET", url);
      if (reply) {
        d.status = reply->status;
        auto doc = json::Parse(reply->body);
        if (doc && doc->is_object()) {
          const auto* code = doc->get_object().if_contains("RspCode");
          if (code != nullptr && code->is_string()) {
            d.rsp_code = std::string(code->get_string());
            return d;
          }
        }
      }
      if (d.attempts == kIpnAttempts) break;
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    std::cerr << "motcua-gateway: IPN not acknowledged after " << kIpnAttempts << " attempts\n";
    return d;
  }

  Response Pay(const Request& req) {
    auto form = ParseQuery(req.body());
    if (!form) return BadRequest("malformed form");
    const auto query = form->find("query");
    const auto outcome = form->find("outcome");
    if (query == form->end() || outcome == form->end())
      return BadRequest("query and outcome required");
    if (outcome->second != "success" && outcome->second != "cancel") {
      return BadRequest("outcome must be success or cancel");
    }
    auto params = ParseQuery(query->second);
    if (!params) return BadRequest("malformed query");
    auto order = VerifyOrder(config_.gateway, *params);
    if (!order) return InvalidOrderPage(order.error());

    const bool success = outcome->second == "success";
    Transaction t;
    t.transaction_no = NextNumber();
    t.outcome = outcome->second;
    t.return_url = order->return_url;
    GatewayResult r;
    r.tmn_code = config_.gateway.tmn_code;
    r.txn_ref = order->txn_ref;
    r.amount = order->amount;
    r.transaction_no = t.transaction_no;
    r.bank_code = "NCB";
    if (success) r.bank_tran_no = "VNP" + t.transaction_no;
    r.response_code = success ? "00" : "24";
    r.transaction_status = success ? "00" : "02";
    r.pay_date = FormatGatewayTime(SystemClock().Now());
    t.params = NotificationParams(config_.gateway, r, order->order_info);
    t.deliveries.push_back(DeliverIpn(t.params));
    const std::string location = Join(t.return_url, EncodeAll(t.params));
    transactions_.push_back(std::move(t));

    Response res = Html(303, Page("Chuyển hướng", "<p><a href=\"" + HtmlEscape(location) +
                                                      "\">Quay lại / Back</a></p>"));
    res.set(http::field::location, location);
    return res;
  }

  Transaction* Find(std::string_view no) {
    for (Transaction& t : transactions_) {
      if (t.transaction_no == no) return &t;
    }
    return nullptr;
  }

  Response Resend(const Request& req) {
    auto doc = json::Parse(req.body());
    if (!doc || !doc->is_object()) return BadRequest("body must be a JSON object");
    const auto& o = doc->get_object();
    auto no = json::String(o, "transaction_no");
    if (!no) return BadRequest("transaction_no (string) required");
    const int64_t times = json::OptInt(o, "times").value_or(1);
    if (times < 1 || times > 100) return BadRequest("times must be 1..100");
    const bool shuffle = json::OptBool(o, "shuffle_with_failure", false);
    Transaction* t = Find(*no);
    if (t == nullptr) return MakeResponse(404, "no such transaction\n");
    boost::json::array answers, tampered;
    for (int64_t i = 0; i < times; ++i) {
      // With shuffle_with_failure every second delivery carries a broken signature: the
      // merchant must refuse it (97) and still confirm the genuine ones exactly once.
      const bool broken = shuffle && i % 2 == 1;
      Params p = t->params;
      if (broken) {
        std::string& hash = p["vnp_SecureHash"];
        if (!hash.empty()) hash.back() = hash.back() == '0' ? '1' : '0';
      }
      Delivery d = DeliverIpn(p);
      d.tampered = broken;
      answers.emplace_back(d.rsp_code);
      tampered.emplace_back(broken);
      t->deliveries.push_back(std::move(d));
    }
    return Json(200, boost::json::object{{"answers", std::move(answers)},
                                         {"tampered", std::move(tampered)}});
  }

  Response Transactions() {
    boost::json::array out;
    for (const Transaction& t : transactions_) {
      boost::json::object params;
      for (const auto& [k, v] : t.params) params[k] = v;
      boost::json::array deliveries, answers;
      for (const Delivery& d : t.deliveries) {
        deliveries.push_back(boost::json::object{{"attempts", d.attempts},
                                                 {"status", d.status},
                                                 {"rsp_code", d.rsp_code},
                                                 {"tampered", d.tampered}});
        answers.emplace_back(d.rsp_code);
      }
      out.push_back(boost::json::object{{"transaction_no", t.transaction_no},
                                        {"outcome", t.outcome},
                                        {"return_url", t.return_url},
                                        {"params", std::move(params)},
                                        {"ipn_answers", std::move(answers)},
                                        {"deliveries", std::move(deliveries)}});
    }
    return Json(200, out);
  }

  Response Transfer(const Request& req) {
    auto doc = json::Parse(req.body());
    if (!doc || !doc->is_object()) return BadRequest("body must be a JSON object");
    const auto& o = doc->get_object();
    auto content = json::String(o, "content");
    if (!content) return BadRequest("content (string) required");
    auto amount = json::Int(o, "amount");
    if (!amount || *amount <= 0) return BadRequest("amount (positive integer) required");
    BankCredit c;
    if (o.contains("id")) {
      auto id = json::String(o, "id");
      if (!id || id->empty() || id->size() > 64) return BadRequest("id must be a short string");
      c.id = *id;
    } else {
      c.id = "FT" + NextNumber();
    }
    if (o.contains("account")) {
      auto account = json::String(o, "account");
      if (!account || account->empty()) return BadRequest("account must be a string");
      c.account = *account;
    } else {
      c.account = config_.bank.account;
    }
    c.amount = *amount;
    c.content = *content;
    const Timestamp now = SystemClock().Now();
    c.time = Timestamp{now.us - now.us % kMicrosPerSecond};
    c.direction = "in";
    c.bank = config_.bank.bin;
    const std::string body = BankCreditJson(c);
    auto reply = HttpCall("POST", config_.bank.notify_url, body,
                          {{"Content-Type", "application/json"},
                           {"X-Signature", SignBody(body, config_.bank.notify_secret)}});
    if (!reply) {
      return Json(
          502, boost::json::object{{"id", c.id}, {"status", 0}, {"answer", reply.error().detail}});
    }
    boost::json::value answer = boost::json::string(reply->body);
    if (auto parsed = json::Parse(reply->body)) answer = std::move(*parsed);
    return Json(200, boost::json::object{
                         {"id", c.id}, {"status", reply->status}, {"answer", std::move(answer)}});
  }

  const PaymentConfig config_;
  int64_t last_no_ = 0;
  std::vector<Transaction> transactions_;
};

int Main(int argc, char** argv) {
  std::string listen = "127.0.0.1:8091", config_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--listen" || a == "--config") && i + 1 < argc) {
      (a == "--listen" ? listen : config_path) = argv[++i];
    } else {
      std::cerr << "usage: motcua-gateway --listen HOST:PORT --config PATH/payment.json\n";
      return 2;
    }
  }
  if (config_path.empty()) {
    std::cerr << "motcua-gateway: --config PATH is required\n";
    return 2;
  }
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon + 1 < listen.size() && listen.size() - colon <= 6) {
    port = 0;
    for (char c : listen.substr(colon + 1)) {
      port = c >= '0' && c <= '9' ? port * 10 + (c - '0') : 65536;
    }
  }
  if (port < 0 || port > 65535) {
    std::cerr << "motcua-gateway: --listen must be HOST:PORT\n";
    return 2;
  }
  auto config = LoadPaymentConfig(config_path);
  if (!config) {
    std::cerr << "motcua-gateway: " << config.error().ToString() << "\n";
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  StandIn standin(std::move(*config));
  const std::string host = listen.substr(0, colon);
  auto server = HttpServer::Listen(host, static_cast<uint16_t>(port),
                                   [&standin](const Request& r) { return standin.Handle(r); });
  if (!server) {
    std::cerr << "motcua-gateway: " << server.error().ToString() << "\n";
    return 1;
  }
  std::cout << "listening " << host << ":" << (*server)->port() << std::endl;
  std::cerr << "motcua-gateway: LOCAL STAND-IN, not a real payment gateway\n";
  (*server)->Run();
  return 0;
}

}  // namespace
}  // namespace motcua::pay::standin

int main(int argc, char** argv) { return motcua::pay::standin::Main(argc, argv); }
