// `motcua ocr FILE`: the digitisation pipeline of issue #8 (số hoá thành phần hồ sơ) on one file —
// OCR in Vietnamese (ocr/ocr.h), then the key fields of an ID card or birth certificate
// (ocr/fields.h) — printed as one JSON object, for officers' scripts and for checking a scan.
// Thread-safety: reentrant (one OCR engine per call); reads only FILE and the tessdata.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::cli {

// args: the words after `ocr`: FILE [--pages N] (N: the page limit, default 50; a file with more
// pages is refused). On success prints
//   {"file_type":"png","pages":[{"page":1,"text":"…","confidence":91}],"mean_confidence":91.0,
//    "kind":"citizen_id_card","fields":{"id_number":{"found":true,"value":"…","confidence":1.0},…}}
// and returns 0. Bad usage, an unreadable file or one the adapter refuses prints
// {"code":…,"message":"<Vietnamese> / <English> (detail)"} to `err` and returns 2; when the OCR
// engine itself is unavailable (no Vietnamese model, no pdftoppm) the same on `err`, returns 1.
int RunOcrCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::cli
