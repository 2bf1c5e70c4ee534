#include "base/event.h"

namespace motcua {

std::string CanonicalEventText(int64_t seq, const std::string& stream, const std::string& type,
                               int version, const std::string& unit, const std::string& actor,
                               Timestamp at, const std::string& payload_json) {
  std::string out;
  out.reserve(128 + stream.size() + type.size() + unit.size() + actor.size() + payload_json.size());
  out += "{\"seq\":";
  out += std::to_string(seq);
  out += ",\"stream\":";
  out += boost::json::serialize(boost::json::string(stream));
  out += ",\"type\":";
  out += boost::json::serialize(boost::json::string(type));
  out += ",\"version\":";
  out += std::to_string(version);
  out += ",\"unit\":";
  out += boost::json::serialize(boost::json::string(unit));
  out += ",\"actor\":";
  out += boost::json::serialize(boost::json::string(actor));
  out += ",\"at_us\":";
  out += std::to_string(at.us);
  out += ",\"payload\":";
  out += payload_json;
  out += "}";
  return out;
}

boost::json::object EventToJson(const Event& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["stream"] = e.stream;
  o["type"] = e.type;
  o["version"] = e.version;
  o["unit"] = e.unit;
  o["actor"] = e.actor;
  o["at"] = FormatIsoUtc(e.at);
  o["at_us"] = e.at.us;
  o["payload"] = e.payload;
  o["prev_hash"] = e.prev_hash;
  o["hash"] = e.hash;
  return o;
}

std::string EventToJsonLine(const Event& e) {
  boost::json::object o = EventToJson(e);
  if (e.payload_json.empty()) return boost::json::serialize(o);
  o["payload"] = nullptr;
  std::string line = boost::json::serialize(o);
  const std::string marker = "\"payload\":null";
  const size_t at = line.find(marker);
  return line.substr(0, at) + "\"payload\":" + e.payload_json + line.substr(at + marker.size());
}

}  // namespace motcua
