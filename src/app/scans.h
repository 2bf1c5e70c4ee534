// The officer's side of counter digitisation (issue #8): the OCR result of an uploaded scan (its
// state, the pages' text, the key fields read), the fields the officer confirms (xác nhận thông
// tin trích xuất) and the diacritic-insensitive search of scanned text. The text and every field
// value live in the store's private texts (personal data, never in the event log); the log holds
// only metadata (FileRecognised, FileFieldsConfirmed with the field names). See
// docs/impl/ocr.md. Thread-safety: thread-safe (reads and the store's writer).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "app/digitise.h"
#include "app/lifecycle.h"
#include "base/error.h"
#include "base/time.h"
#include "store/store.h"

namespace motcua::app {

// One file's OCR as the API shows it.
struct OcrView {
  std::string file;
  std::string state = "pending";  // "pending", "done", "failed"
  std::string error_code;         // when failed
  std::string kind = "unknown";
  double mean_confidence = 0;
  std::vector<OcrPageText> pages;
  std::vector<std::pair<std::string, OcrFieldValue>> fields;  // the three key fields first
  std::optional<ConfirmedFields> confirmed;
};

struct ScanHit {
  std::string file;
  std::optional<std::string> dossier;
  std::string name;
  std::string snippet;  // the first line holding a search term, at most 160 bytes
};

// Field names the officer may confirm, and the document kinds.
bool IsConfirmableField(std::string_view name);
bool IsDocumentKind(std::string_view kind);  // citizen_id_card, birth_certificate, unknown

// Checks and normalises one confirmed value: id_number 12 digits; full_name letters and single
// spaces, two words or more, upper-cased; date_of_birth dd/mm/yyyy (or yyyy-mm-dd), a real date
// from 1900 to `today`, returned as yyyy-mm-dd; sex Nam/Nữ; the others one line of at most 200
// bytes. Error scan.bad_field (kInvalidArgument, param "field").
Result<std::string> NormaliseField(std::string_view name, std::string_view value, CivilDate today);

class Scans {
 public:
  Scans(store::Store& store, Lifecycle& lifecycle, const Clock& clock)
      : store_(store), lifecycle_(lifecycle), clock_(clock) {}

  // The uploader's own file (checked as "file.read_own"). Error file.not_found otherwise.
  Result<OcrView> GetOwn(const Actor& actor, const std::string& file);
  // A file of a dossier the actor may read (the dossier read is the permission). Errors: the
  // dossier's (dossier.not_found…), file.not_found when the file is not one of its components'.
  Result<OcrView> GetInDossier(const Actor& actor, const std::string& code,
                               const std::string& file);
  // The uploader, holding "file.confirm_fields" (the counter officer), confirms or types the
  // fields — before OCR is done too. Records FileFieldsConfirmed (names only) and the values in
  // the private row, in one transaction. Errors: scan.bad_kind, scan.unknown_field,
  // scan.bad_field, scan.no_fields, file.not_found.
  Result<OcrView> Confirm(const Actor& actor, const std::string& file, const std::string& kind,
                          const std::vector<std::pair<std::string, std::string>>& fields);
  // Scanned text holding every word of `query` (folded: no diacritics, no case), among files
  // the actor uploaded or that belong to a dossier the actor may read; at most `limit` (1..100)
  // hits in file-id order. Checked as "scan.search". Error scan.bad_query (no word, more than 16).
  Result<std::vector<ScanHit>> Search(const Actor& actor, const std::string& query, int limit);

 private:
  Result<OcrView> ViewOf(const std::string& file);
  Result<bool> MayReadDossier(const Actor& actor, const std::string& code);

  store::Store& store_;
  Lifecycle& lifecycle_;
  const Clock& clock_;
};

}  // namespace motcua::app
