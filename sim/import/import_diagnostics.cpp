#include "import/import_diagnostics.hpp"

namespace lvs::import {

std::string SourceLine::str() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::string Diagnostic::str() const { return at.str() + ": warning: " + message; }

ImportError::ImportError(const SourceLine& at, const std::string& message)
    : std::runtime_error(at.str() + ": error: " + message), at_(at) {}

}  // namespace lvs::import
