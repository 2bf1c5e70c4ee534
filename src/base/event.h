// The event record: one entry of the append-only log that is the system's truth
// (docs/impl/event-log.md). Events are named in the past tense ("DossierReceived"); a field once
// written is never reinterpreted — a new meaning gets a new field or a new `version`.
// Thread-safety: plain values.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "base/time.h"

namespace motcua {

// An event not yet appended: what the domain decides.
struct NewEvent {
  std::string stream;  // "dossier/<code>", "unit/<code>", "procedure/<code>"…
  std::string type;    // past tense, e.g. "DossierReceived"
  int version = 1;     // schema version of this event type
  std::string unit;    // administrative unit code where it happened
  std::string actor;   // who did it ("officer:<id>", "citizen:<id>", "system")
  Timestamp at;        // when it happened (UTC)
  boost::json::object payload;
};

// An appended event: sequence and hash chain assigned by the store.
struct Event {
  int64_t seq = 0;
  std::string stream;
  std::string type;
  int version = 1;
  std::string unit;
  std::string actor;
  Timestamp at;
  boost::json::object payload;
  std::string payload_json;  // the payload exactly as stored and hashed (set by the store)
  std::string prev_hash;     // lowercase hex SHA-256 of the previous event, 64 zeros for the first
  std::string hash;          // lowercase hex SHA-256 over prev_hash and this event's canonical form
};

// The canonical text hashed for an event (docs/impl/event-log.md): a JSON object with keys in a
// fixed order and the payload exactly as stored.
std::string CanonicalEventText(int64_t seq, const std::string& stream, const std::string& type,
                               int version, const std::string& unit, const std::string& actor,
                               Timestamp at, const std::string& payload_json);

// One JSON Lines record of `motcua export events` (docs/impl/event-export.md).
boost::json::object EventToJson(const Event& e);
// The same record as one line of text, with the payload spliced in exactly as stored and hashed,
// so that a reader can re-check the chain from the export alone.
std::string EventToJsonLine(const Event& e);

}  // namespace motcua
