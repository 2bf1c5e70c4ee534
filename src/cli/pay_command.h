// `motcua pay ...`: VietQR payloads (NAPAS 247 QR, mã VietQR) for fee transfers to the collecting
// account, after ../shared/reference/vietqr.md: build one from flags, or read one back as JSON.
// Thread-safety: reentrant; no files, no clock.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::cli {

// args: the words after `pay`:
//   vietqr --bank BIN --account NO [--amount VND] [--ref TEXT] [--service QRIBFTTA] [--static]
//          [--name NAME] [--city CITY] [--svg]
//   vietqr-parse PAYLOAD
// vietqr prints the payload and a newline (with --svg the QR code as an SVG document instead);
// --ref, --name and --city lose their Vietnamese diacritics. vietqr-parse prints the fields as
// one JSON object. Returns 0 on success; bad usage or an invalid value prints
// {"code":…,"message":"<Vietnamese> / <English>"} to `err` and returns 2. Returns -1 without
// printing anything when args[0] is not one of these subcommands (the caller reports it).
int RunPayCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::cli
