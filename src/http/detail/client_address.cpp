#include "http/detail/client_address.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace motcua::http::detail {

namespace ip = boost::asio::ip;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> Exact(std::string_view s) {
  boost::system::error_code ec;
  const ip::address a = ip::make_address(std::string(s), ec);
  if (ec) return std::nullopt;
  return Normalize(a);
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

ip::address Normalize(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty() || s.size() > 64) return std::nullopt;
  if (s.front() == '[') {  // "[v6]" or "[v6]:port"
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view after = s.substr(close + 1);
    if (!after.empty() && (after[0] != ':' || after.size() == 1 ||
                           after.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
      return std::nullopt;
    }
    return Exact(s.substr(1, close - 1));
  }
  // One colon: "v4:port". More than one: a bare IPv6 address.
  if (const size_t colon = s.find(':');
      colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
    const std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    s = s.substr(0, colon);
  }
  return Exact(s);
}

Result<AddressSet> AddressSet::Parse(const std::vector<std::string>& entries) {
  AddressSet set;
  for (const std::string& entry : entries) {
    const std::string_view e = Trim(entry);
    const size_t slash = e.find('/');
    const auto addr = Exact(e.substr(0, slash));
    if (!addr) return Fail(ErrorCode::kInvalidArgument, "http.bad_address", entry);
    unsigned prefix = addr->is_v4() ? 32 : 128;
    if (slash != std::string_view::npos) {
      const std::string_view p = e.substr(slash + 1);
      const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
      if (p.empty() || ec != std::errc() || end != p.data() + p.size() ||
          prefix > (addr->is_v4() ? 32u : 128u)) {
        return Fail(ErrorCode::kInvalidArgument, "http.bad_address", entry);
      }
    }
    if (addr->is_v4()) {
      const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
      set.v4_.push_back(V4{addr->to_v4().to_uint() & mask, mask});
    } else {
      set.v6_.push_back(V6{addr->to_v6().to_bytes(), prefix});
    }
  }
  return set;
}

bool AddressSet::Contains(const ip::address& raw) const {
  const ip::address a = Normalize(raw);
  if (a.is_v4()) {
    const uint32_t v = a.to_v4().to_uint();
    return std::any_of(v4_.begin(), v4_.end(),
                       [&](const V4& n) { return (v & n.mask) == n.network; });
  }
  const auto bytes = a.to_v6().to_bytes();
  return std::any_of(v6_.begin(), v6_.end(), [&](const V6& n) {
    for (unsigned bit = 0; bit < n.prefix; bit += 8) {
      const unsigned left = n.prefix - bit;
      const auto mask = static_cast<uint8_t>(left >= 8 ? 0xff : 0xff << (8 - left));
      if ((bytes[bit / 8] & mask) != (n.network[bit / 8] & mask)) return false;
    }
    return true;
  });
}

ClientInfo ResolveClient(const ip::address& peer, bool transport_tls, const AddressSet& trusted,
                         std::string_view forwarded_for, std::string_view forwarded_proto) {
  ClientInfo out{Normalize(peer).to_string(), transport_tls};
  if (!trusted.Contains(peer)) return out;
  // Right to left: each trusted hop vouches for the entry to its left.
  std::string_view rest = forwarded_for;
  while (!Trim(rest).empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view entry =
        comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (Trim(entry).empty()) continue;  // "a,,b": an empty element says nothing
    const auto addr = ParseAddress(entry);
    if (!addr) break;  // garbage: keep the last hop we could trust
    out.address = addr->to_string();
    if (!trusted.Contains(*addr)) break;
  }
  const size_t comma = forwarded_proto.rfind(',');
  const std::string_view proto =
      Trim(comma == std::string_view::npos ? forwarded_proto : forwarded_proto.substr(comma + 1));
  out.tls = transport_tls || IEquals(proto, "https");
  return out;
}

}  // namespace motcua::http::detail
