#include "cli/import_command.hpp"

#include <ostream>
#include <stdexcept>

#include "core/file_output.hpp"
#include "import/ipvsadm_save_reader.hpp"
#include "import/keepalived_reader.hpp"
#include "import/keepalived_writer.hpp"
#include "import/ldirectord_reader.hpp"
#include "import/scenario_yaml_writer.hpp"
#include "import/to_scenario.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::cli {

int run_import(const ImportOptions& o, std::ostream& out, std::ostream& err) {
  if (o.keepalived.empty() && !o.ipvsadm_save && !o.ldirectord)
    throw std::invalid_argument("nothing to import: give keepalived.conf files, --ipvsadm-save or --ldirectord");
  import::Diagnostics diagnostics;
  import::ImportInput input;
  // Warnings are printed even when a later file turns out unusable.
  const auto flush = [&] {
    for (const import::Diagnostic& d : diagnostics.warnings) err << d.str() << '\n';
    diagnostics.warnings.clear();
  };
  try {
    for (const std::string& f : o.keepalived) input.keepalived.push_back(import::read_keepalived(f, diagnostics));
    if (o.ipvsadm_save)
      input.tables.push_back({o.director, *o.ipvsadm_save, import::read_ipvsadm_save(*o.ipvsadm_save, diagnostics)});
    if (o.ldirectord)
      input.tables.push_back({o.director, *o.ldirectord, import::read_ldirectord(*o.ldirectord, diagnostics)});
    const import::ImportResult result = import::to_scenario(input, diagnostics);
    flush();
    const std::string yaml = import::scenario_yaml(result);
    if (o.output == "-") out << yaml;
    else write_file(o.output, yaml);
  } catch (...) {
    flush();
    throw;
  }
  return 0;
}

int run_export(const ExportOptions& o, std::ostream& out, std::ostream&) {
  if (!o.keepalived && !o.ipvsadm_save) throw std::invalid_argument("nothing to write: give --keepalived or --ipvsadm-save");
  const scenario::ScenarioSpec spec = scenario::read_scenario(o.scenario, o.overrides);
  const std::vector<std::string> directors = import::exported_directors(spec);
  if (directors.empty()) throw std::invalid_argument(o.scenario + ": no director has a service or a VRRP instance");
  const bool several = directors.size() > 1;
  for (const std::string& d : directors) {
    if (o.keepalived) {
      const std::string path = import::per_director_path(*o.keepalived, d, several);
      write_file(path, import::keepalived_conf(spec, d));
      out << "wrote " << path << " (" << d << ")\n";
    }
    if (o.ipvsadm_save) {
      const std::string path = import::per_director_path(*o.ipvsadm_save, d, several);
      write_file(path, import::ipvsadm_save_n(spec, d));
      out << "wrote " << path << " (" << d << ")\n";
    }
  }
  return 0;
}

}  // namespace lvs::cli
