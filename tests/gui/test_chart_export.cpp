#include <catch2/catch.hpp>

#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QValueAxis>

#include <limits>
#include <string>

#include "chart_export.hpp"
#include "chart_kit.hpp"
#include "compare_chart.hpp"
#include "gui_fixture.hpp"

namespace {

using lvs::test::app;

// Two series on titled axes: p50 (a line) and a scatter whose name needs quoting.
QChart* xy_chart() {
  auto* chart = new QChart;
  chart->setTitle(QStringLiteral("Latency"));
  auto* p50 = new QLineSeries;
  p50->setName(QStringLiteral("p50"));
  p50->append({{0, 1.5}, {1, 0.1}, {2.5, 12.0}});
  auto* tail = new QScatterSeries;
  tail->setName(QStringLiteral("p99, \"tail\""));
  tail->append({{0, 2}, {1, 1e20}});
  chart->addSeries(p50);
  chart->addSeries(tail);
  auto* x = new QValueAxis;
  x->setTitleText(QStringLiteral("time (s)"));
  x->setRange(0, 3);
  auto* y = new QValueAxis;
  y->setTitleText(QStringLiteral("latency (ms)"));
  y->setRange(0, 15);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* s : chart->series()) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  return chart;
}

// chart_csv as a std::string, which Catch prints when a check fails.
std::string csv(const QChart& chart) { return lvs::gui::chart_csv(chart).toStdString(); }

QByteArray read_all(const QString& path) {
  QFile f(path);
  REQUIRE(f.open(QIODevice::ReadOnly));
  return f.readAll();
}

}  // namespace

TEST_CASE("chart export: line and scatter series as series,<x title>,<y title>, one row per point", "[gui][export]") {
  app();
  QChartView view(xy_chart());
  CHECK(csv(*view.chart()) ==
        std::string("series,time (s),latency (ms)\n"
                       "p50,0,1.5\n"
                       "p50,1,0.1\n"
                       "p50,2.5,12\n"
                       "\"p99, \"\"tail\"\"\",0,2\n"
                       "\"p99, \"\"tail\"\"\",1,1e+20\n"));
}

TEST_CASE("chart export: series without axis titles give series,x,y", "[gui][export]") {
  app();
  QChart chart;
  auto* s = new QLineSeries;
  s->setName(QStringLiteral("a"));
  s->append({{0.125, 1e-300}, {1.0 / 3.0, -2}});
  chart.addSeries(s);
  CHECK(csv(chart) == "series,x,y\na,0.125,1e-300\na,0.3333333333333333,-2\n");
}

TEST_CASE("chart export: bar series as category,set,value", "[gui][export]") {
  app();
  QChart chart;
  auto* first = new QBarSet(QStringLiteral("2023"));
  first->append({1, 2.5});
  auto* second = new QBarSet(QStringLiteral("2024"));
  second->append({3, 0.25});
  auto* bars = new QBarSeries;
  bars->append({first, second});
  chart.addSeries(bars);
  auto* x = new QBarCategoryAxis;
  x->append({QStringLiteral("rr"), QStringLiteral("w,lc")});
  chart.addAxis(x, Qt::AlignBottom);
  bars->attachAxis(x);
  CHECK(csv(chart) == std::string("category,set,value\n"
                                                     "rr,2023,1\n"
                                                     "rr,2024,3\n"
                                                     "\"w,lc\",2023,2.5\n"
                                                     "\"w,lc\",2024,0.25\n"));
}

TEST_CASE("chart export: box plots as category,series,low,q1,median,q3,high", "[gui][export]") {
  app();
  QChart chart;
  auto* boxes = new QBoxPlotSeries;
  boxes->setName(QStringLiteral("latency"));
  boxes->append(new QBoxSet(1, 2, 3, 4, 5.5, QStringLiteral("rr")));
  chart.addSeries(boxes);
  CHECK(csv(chart) == std::string("category,series,low,q1,median,q3,high\nrr,latency,1,2,3,4,5.5\n"));
}

TEST_CASE("chart export: compare bars carry their half-widths, the whiskers are not exported, no mean is n/a", "[gui][export]") {
  app();
  lvs::run::CompareResult r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.schedulers.resize(3);
  r.schedulers[0].scheduler = "sh";  // no request completed: no mean
  r.schedulers[0].metrics[0] = {nan, nan, 3, 0.95};
  r.schedulers[1].scheduler = "rr";
  r.schedulers[1].metrics[0] = {100.5, 2.25, 3, 0.95};
  r.schedulers[2].scheduler = "wlc";  // one replication: no interval
  r.schedulers[2].metrics[0] = {99.0, nan, 1, 0.95};
  QChart* chart = lvs::gui::make_compare_chart(lvs::run::CompareMetric::Throughput);
  QChartView view(chart);
  lvs::gui::fill_compare_chart(*chart, lvs::run::CompareMetric::Throughput, r);
  CHECK(csv(*chart) == std::string("category,set,value,half_width\n"
                                                      "sh (n/a),throughput req/s,0,\n"
                                                      "rr,throughput req/s,100.5,2.25\n"
                                                      "wlc,throughput req/s,99,\n"));
  CHECK(lvs::test::series_named(chart, lvs::gui::whisker_name(QStringLiteral("rr"))) != nullptr);
  CHECK(lvs::test::series_named(chart, lvs::gui::whisker_name(QStringLiteral("wlc"))) == nullptr);
  CHECK(lvs::test::series_named(chart, lvs::gui::whisker_name(QStringLiteral("sh"))) == nullptr);
}

TEST_CASE("chart export: PNG at the view's size, or 1000x600 for a view never sized", "[gui][export]") {
  app();
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  QChartView view(xy_chart());
  const QString unsized = dir.filePath(QStringLiteral("unsized.png"));
  QString error;
  REQUIRE(lvs::gui::save_chart_png(view, unsized, &error));
  CHECK(error.isEmpty());
  CHECK(QImage(unsized).size() == QSize(1000, 600));

  view.resize(640, 400);
  const QString path = dir.filePath(QStringLiteral("chart.png"));
  REQUIRE(lvs::gui::save_chart_png(view, path));
  const QImage image(path);
  REQUIRE_FALSE(image.isNull());
  CHECK(image.size() == QSize(640, 400));
  int dark = 0;  // the axes, labels and lines
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 128;
  CHECK(dark > 500);
  CHECK(image.pixelColor(0, 0).name().toStdString() == "#ffffff");  // white around the chart
  CHECK(image.pixelColor(320, 2).name().toStdString() == "#ffffff");
}

TEST_CASE("chart export: SVG parses and carries the chart's title", "[gui][export]") {
  app();
  QTemporaryDir dir;
  QChartView view(xy_chart());
  view.resize(640, 400);
  const QString path = dir.filePath(QStringLiteral("chart.svg"));
  REQUIRE(lvs::gui::save_chart_svg(view, path));
  QSvgRenderer svg(path);
  CHECK(svg.isValid());
  CHECK(svg.viewBox() == QRect(0, 0, 640, 400));
  const QByteArray text = read_all(path);
  CHECK(text.contains("<svg"));
  CHECK(text.contains("<title>Latency</title>"));
}

TEST_CASE("chart export: CSV file holds chart_csv, a missing directory is an error naming the path", "[gui][export]") {
  app();
  QTemporaryDir dir;
  QChartView view(xy_chart());
  const QString path = dir.filePath(QStringLiteral("chart.csv"));
  REQUIRE(lvs::gui::save_chart_csv(*view.chart(), path));
  CHECK(QString::fromUtf8(read_all(path)) == lvs::gui::chart_csv(*view.chart()));

  const QString missing = dir.filePath(QStringLiteral("no/such/dir/chart"));
  QString error;
  CHECK_FALSE(lvs::gui::save_chart_png(view, missing + QStringLiteral(".png"), &error));
  CHECK(error.contains(QDir::toNativeSeparators(missing + QStringLiteral(".png"))));
  error.clear();
  CHECK_FALSE(lvs::gui::save_chart_svg(view, missing + QStringLiteral(".svg"), &error));
  CHECK(error.contains(missing + QStringLiteral(".svg")));
  error.clear();
  CHECK_FALSE(lvs::gui::save_chart_csv(*view.chart(), missing + QStringLiteral(".csv"), &error));
  CHECK(error.startsWith(QStringLiteral("cannot write ") + missing + QStringLiteral(".csv: ")));
  CHECK_FALSE(QFile::exists(missing + QStringLiteral(".csv")));
}

TEST_CASE("chart export: the view's right-click menu offers PNG, SVG and CSV", "[gui][export]") {
  app();
  QChartView view(xy_chart());
  lvs::gui::add_export_actions(&view);
  CHECK(view.contextMenuPolicy() == Qt::ActionsContextMenu);
  QStringList texts;
  for (const QAction* a : view.actions()) texts.append(a->text());
  CHECK(texts == QStringList{QStringLiteral("Save chart as PNG…"), QStringLiteral("Save chart as SVG…"),
                             QStringLiteral("Save data as CSV…")});
}

TEST_CASE("nice_top: round axis tops, five intervals or fewer", "[gui][export]") {
  using lvs::gui::nice_top;
  // max / 5 rounded up to 1, 2 or 5 times a power of ten, then whole steps to cover max.
  CHECK(nice_top(1.1) == std::pair<double, int>{1.5, 4});      // step 0.5
  CHECK(nice_top(100) == std::pair<double, int>{100, 6});      // step 20 exactly
  CHECK(nice_top(3300) == std::pair<double, int>{4000, 5});    // 660 -> step 1000
  CHECK(nice_top(37.4) == std::pair<double, int>{40, 5});      // 7.48 -> step 10
  CHECK(nice_top(0.031).first == Approx(0.04));                // 0.0062 -> step 0.01
  CHECK(nice_top(0.031).second == 5);
}
