#pragma once
// `lvslab import [KEEPALIVED_CONF...] [--ipvsadm-save FILE] [--ldirectord FILE] -o SCENARIO`
// and `lvslab export SCENARIO [--keepalived FILE] [--ipvsadm-save FILE]` (sim/import).

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct ImportOptions {
  std::vector<std::string> keepalived;   ///< one keepalived.conf per director
  std::optional<std::string> ipvsadm_save;
  std::optional<std::string> ldirectord;
  std::string director = "director";     ///< --director: the host the ipvsadm-save / ldirectord table is on
  std::string output = "-";              ///< -o: the scenario YAML ("-": stdout)
};

struct ExportOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::optional<std::string> keepalived;    ///< FILE, or FILE-DIRECTOR.EXT per director when several
  std::optional<std::string> ipvsadm_save;  ///< likewise
};

/// Reads the sources, prints the warnings ("FILE:LINE: warning: ...") to `err` and writes the
/// scenario; returns 0. Throws (exit 2) for unusable input or no source at all.
int run_import(const ImportOptions& o, std::ostream& out, std::ostream& err);
/// Writes the files; returns 0. Throws for a scenario that cannot be read.
int run_export(const ExportOptions& o, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
