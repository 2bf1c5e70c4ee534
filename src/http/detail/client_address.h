// Who a request comes from: address sets written as addresses or CIDR blocks ("127.0.0.1",
// "10.0.0.0/8", "::1", "fd00::/8"), and the client address and scheme behind a trusted reverse
// proxy (X-Forwarded-For, X-Forwarded-Proto). Headers from a peer that is not trusted are
// ignored: anyone can write them.
// Thread-safety: AddressSet is immutable after Parse; the functions are pure.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace motcua::http::detail {

// An IPv4-mapped IPv6 address (::ffff:1.2.3.4, what a dual-stack socket reports for an IPv4
// peer) as the IPv4 address; other addresses unchanged.
boost::asio::ip::address Normalize(const boost::asio::ip::address& a);

// "1.2.3.4", "::1", "[::1]", "1.2.3.4:5678", "[::1]:443" (some proxies add the port), with
// surrounding blanks; nullopt if it is not an address.
std::optional<boost::asio::ip::address> ParseAddress(std::string_view text);

class AddressSet {
 public:
  // Errors: http.bad_address (kInvalidArgument) naming the entry that is neither an address nor
  // a CIDR block with a prefix length in range.
  [[nodiscard]] static Result<AddressSet> Parse(const std::vector<std::string>& entries);

  bool Contains(const boost::asio::ip::address& a) const;
  bool empty() const { return v4_.empty() && v6_.empty(); }

 private:
  struct V4 {
    uint32_t network;
    uint32_t mask;
  };
  struct V6 {
    boost::asio::ip::address_v6::bytes_type network;
    unsigned prefix;
  };
  std::vector<V4> v4_;
  std::vector<V6> v6_;
};

struct ClientInfo {
  std::string address;  // normalised text form
  bool tls = false;
};

// The client of a request that reached us from `peer`. When `peer` is in `trusted`: the
// right-most X-Forwarded-For entry that is not itself trusted (every hop to its right was a proxy
// of ours; entries to its left were written by the client and prove nothing), the left-most
// entry if all are trusted, the last trusted hop if an entry is not an address, `peer` without
// the header; and tls when the right-most X-Forwarded-Proto value is "https" (the value our
// proxy wrote). `forwarded_for` holds the header lines joined with ", ". Otherwise the headers
// are ignored. `transport_tls`: the connection itself is TLS (then tls is true in any case).
ClientInfo ResolveClient(const boost::asio::ip::address& peer, bool transport_tls,
                         const AddressSet& trusted, std::string_view forwarded_for,
                         std::string_view forwarded_proto);

}  // namespace motcua::http::detail
