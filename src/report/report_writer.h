// WriteReport: renders the charts and publishes them with report.html and report.json into the
// output directory. Every file is written under a temporary name, fsynced and renamed into
// place (PublishFiles), so a reader never sees a half-written chart or page. Scratch files
// (gnuplot script, data) live in a hidden temporary directory inside the output directory and
// are removed afterwards. One thread only per output directory.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "report/report_input.h"

namespace orderflow::report {

// Creates `output_dir` when needed. IoError when it cannot be created or written, or when
// gnuplot fails. On success `written` (optional) gets the names of the published files. With
// no clean order in the input only report.html and report.json are written, saying there is
// no data yet (gnuplot is not needed then); chart files of an earlier run are left alone.
Status WriteReport(const ReportInput& input, const std::string& output_dir,
                   std::vector<std::string>* written = nullptr);

}  // namespace orderflow::report
