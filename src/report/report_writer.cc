#include "report/report_writer.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/file_system.h"
#include "report/charts.h"
#include "report/report_html.h"
#include "report/report_json.h"

namespace orderflow::report {
namespace {

// A mkdtemp directory removed with its content when the object goes away.
class ScratchDir {
 public:
  static Result<std::string> Create(const std::string& parent) {
    std::string path = parent + "/.report-XXXXXX";
    if (::mkdtemp(path.data()) == nullptr) {
      return Status::IoError(
          fmt::format("cannot create a scratch directory in {}: {}", parent, std::strerror(errno)));
    }
    return path;
  }
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Status WriteReport(const ReportInput& input, const std::string& output_dir,
                   std::vector<std::string>* written) {
  FileSystem& fs = FileSystem::Default();
  if (Status s = fs.CreateDirs(output_dir); !s.ok()) return s;
  auto scratch_path = ScratchDir::Create(output_dir);
  if (!scratch_path.ok()) return scratch_path.status();
  ScratchDir scratch(std::move(*scratch_path));

  std::vector<Chart> charts;
  std::vector<std::string> chart_names;
  if (input.summary.orders > 0) {
    auto rendered = RenderCharts(input.summary, input.forecast, scratch.path());
    if (!rendered.ok()) return rendered.status();
    charts = std::move(*rendered);
    chart_names = ChartFileNames();
  }
  const std::string json = BuildReportJson(input, chart_names).dump(2) + "\n";
  const std::string html = BuildReportHtml(input, charts);

  std::vector<PendingFile> files;
  for (const Chart& chart : charts) files.push_back({chart.file_name, chart.png});
  files.push_back({"report.json", json});
  files.push_back({"report.html", html});
  if (Status s = PublishFiles(fs, output_dir, files); !s.ok()) return s;
  if (written != nullptr) {
    written->clear();
    for (const PendingFile& f : files) written->push_back(f.name);
  }
  return Status::Ok();
}

}  // namespace orderflow::report
