// Address sets (CIDR) and the client behind trusted reverse proxies.
#include "http/detail/client_address.h"

#include <gtest/gtest.h>

namespace motcua::http::detail {
namespace {

namespace ip = boost::asio::ip;

ip::address A(const char* s) { return ip::make_address(s); }

AddressSet Set(const std::vector<std::string>& entries) {
  auto s = AddressSet::Parse(entries);
  EXPECT_TRUE(s.has_value()) << s.error().ToString();
  return s ? *s : AddressSet{};
}

TEST(AddressSetTest, AddressesAndCidrBlocks) {
  const AddressSet s = Set({"127.0.0.1", "10.0.0.0/8", "192.168.1.0/24", "::1", "fd00::/8",
                            "2001:db8:1::/48"});
  EXPECT_TRUE(s.Contains(A("127.0.0.1")));
  EXPECT_FALSE(s.Contains(A("127.0.0.2")));
  EXPECT_TRUE(s.Contains(A("10.255.1.2")));
  EXPECT_FALSE(s.Contains(A("11.0.0.1")));
  EXPECT_TRUE(s.Contains(A("192.168.1.77")));
  EXPECT_FALSE(s.Contains(A("192.168.2.1")));
  EXPECT_TRUE(s.Contains(A("::1")));
  EXPECT_TRUE(s.Contains(A("fd12:3456::1")));
  EXPECT_FALSE(s.Contains(A("fe80::1")));
  EXPECT_TRUE(s.Contains(A("2001:db8:1:ffff::1")));
  EXPECT_FALSE(s.Contains(A("2001:db8:2::1")));
  // An IPv4 peer on a dual-stack socket.
  EXPECT_TRUE(s.Contains(A("::ffff:10.1.2.3")));
  EXPECT_TRUE(Set({"0.0.0.0/0"}).Contains(A("203.0.113.9")));
  EXPECT_FALSE(Set({}).Contains(A("127.0.0.1")));
  EXPECT_TRUE(Set({}).empty());
}

TEST(AddressSetTest, RefusesWhatIsNotAnAddressOrBlock) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                          "10.0.0.256", "", "1.2.3.4/8/8"}) {
    auto s = AddressSet::Parse({bad});
    ASSERT_FALSE(s.has_value()) << bad;
    EXPECT_EQ(s.error().key, "http.bad_address");
  }
}

TEST(ParseAddressTest, ForwardedForEntryForms) {
  EXPECT_EQ(ParseAddress(" 203.0.113.7 ")->to_string(), "203.0.113.7");
  EXPECT_EQ(ParseAddress("203.0.113.7:51234")->to_string(), "203.0.113.7");
  EXPECT_EQ(ParseAddress("2001:db8::7")->to_string(), "2001:db8::7");
  EXPECT_EQ(ParseAddress("[2001:db8::7]:443")->to_string(), "2001:db8::7");
  EXPECT_EQ(ParseAddress("[2001:db8::7]")->to_string(), "2001:db8::7");
  EXPECT_EQ(ParseAddress("::ffff:203.0.113.7")->to_string(), "203.0.113.7");
  for (const char* bad : {"unknown", "", "_hidden", "1.2.3.4:", "[::1", "[::1]x", "1.2.3.4:x"}) {
    EXPECT_FALSE(ParseAddress(bad).has_value()) << bad;
  }
}

TEST(ResolveClientTest, UntrustedPeersHeadersAreIgnored) {
  const AddressSet trusted = Set({"10.0.0.0/8"});
  const ClientInfo c = ResolveClient(A("203.0.113.7"), false, trusted, "1.1.1.1", "https");
  EXPECT_EQ(c.address, "203.0.113.7");
  EXPECT_FALSE(c.tls);
  const ClientInfo none = ResolveClient(A("127.0.0.1"), false, AddressSet{}, "1.1.1.1", "https");
  EXPECT_EQ(none.address, "127.0.0.1");
  EXPECT_FALSE(none.tls);
  EXPECT_TRUE(ResolveClient(A("203.0.113.7"), true, trusted, "", "http").tls);
}

TEST(ResolveClientTest, RightMostUntrustedEntryBehindTrustedProxies) {
  const AddressSet trusted = Set({"10.0.0.0/8", "127.0.0.1"});
  // client → proxy 10.0.0.2 → proxy 10.0.0.1 (peer). What the client wrote itself (the
  // spoofed 6.6.6.6 on the left) is not believed.
  ClientInfo c = ResolveClient(A("10.0.0.1"), false, trusted, "6.6.6.6, 203.0.113.7, 10.0.0.2",
                               "https");
  EXPECT_EQ(c.address, "203.0.113.7");
  EXPECT_TRUE(c.tls);
  // Header split over two lines, joined by the caller.
  c = ResolveClient(A("127.0.0.1"), false, trusted, "198.51.100.4, 10.9.9.9", "http");
  EXPECT_EQ(c.address, "198.51.100.4");
  EXPECT_FALSE(c.tls);
  // No header: the proxy itself.
  EXPECT_EQ(ResolveClient(A("127.0.0.1"), false, trusted, "", "").address, "127.0.0.1");
  // All trusted: the left-most.
  EXPECT_EQ(ResolveClient(A("127.0.0.1"), false, trusted, "10.1.1.1, 10.2.2.2", "").address,
            "10.1.1.1");
  // Garbage from the client's side stops the walk at the last hop we trust.
  EXPECT_EQ(ResolveClient(A("127.0.0.1"), false, trusted, "evil, 10.2.2.2", "").address,
            "10.2.2.2");
  EXPECT_EQ(ResolveClient(A("127.0.0.1"), false, trusted, "unknown", "").address, "127.0.0.1");
  // Ports and IPv6 forms.
  EXPECT_EQ(ResolveClient(A("127.0.0.1"), false, trusted, "[2001:db8::5]:1234", "").address,
            "2001:db8::5");
  // The proto our proxy wrote is the right-most value.
  EXPECT_FALSE(ResolveClient(A("127.0.0.1"), false, trusted, "", "https, http").tls);
  EXPECT_TRUE(ResolveClient(A("127.0.0.1"), false, trusted, "", "http, HTTPS").tls);
  // An IPv4-mapped peer is reported as IPv4.
  EXPECT_EQ(ResolveClient(A("::ffff:203.0.113.9"), false, trusted, "", "").address,
            "203.0.113.9");
}

}  // namespace
}  // namespace motcua::http::detail
