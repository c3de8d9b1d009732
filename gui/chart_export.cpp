#include "chart_export.hpp"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFileDialog>
#include <QImage>
#include <QMessageBox>
#include <QPainter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QVariant>
#include <QXYSeries>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

namespace lvs::gui {

namespace {

const QSize kDefaultSize(1000, 600);

bool fail(QString* error, const QString& path, const QString& reason) {
  if (error != nullptr) *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason);
  return false;
}

bool open(QSaveFile& file, QIODevice::OpenMode mode, QString* error) {
  return file.open(QIODevice::WriteOnly | mode) || fail(error, file.fileName(), file.errorString());
}

bool commit(QSaveFile& file, QString* error) {
  return file.commit() || fail(error, file.fileName(), file.errorString());
}

// The view's size once it has been shown or resized; kDefaultSize before.
QSize export_size(const QChartView& view) {
  const bool sized = view.isVisible() || view.testAttribute(Qt::WA_Resized);
  return sized && !view.size().isEmpty() ? view.size() : kDefaultSize;
}

// Paints the view at `size` on white (a hidden view is laid out at that size first): the
// view's own background, the window colour around the chart, is white while it renders.
void paint_view(QChartView& view, QPainter& painter, QSize size) {
  if (!view.isVisible() && view.size() != size) view.resize(size);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  const QBrush background = view.backgroundBrush();
  view.setBackgroundBrush(Qt::white);
  view.QWidget::render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
  view.setBackgroundBrush(background);
}

// The shortest text that reads back to `v`; "" for NaN (pandas' missing value).
QString number(double v) {
  if (std::isnan(v)) return {};
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return QString::fromLatin1(buffer, end - buffer);
}

// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
QString field(QString s) {
  static const QRegularExpression special(QStringLiteral("[,\"\r\n]"));
  if (!s.contains(special)) return s;
  s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + s + QLatin1Char('"');
}

void add_row(QString& csv, const QStringList& fields) {
  QStringList quoted;
  for (const QString& f : fields) quoted.append(field(f));
  csv += quoted.join(QLatin1Char(',')) + QLatin1Char('\n');
}

bool exported(const QAbstractSeries* s) {
  const QVariant v = s->property(kNoExportProperty);
  return !v.isValid() || v.toBool();
}

QStringList categories_of(QAbstractSeries* s) {
  for (QAbstractAxis* axis : s->attachedAxes())
    if (auto* c = qobject_cast<QBarCategoryAxis*>(axis)) return c->categories();
  return {};
}

QString axis_title(QAbstractSeries* s, Qt::Orientation o) {
  for (QAbstractAxis* axis : s->attachedAxes())
    if (axis->orientation() == o) return axis->titleText();
  return {};
}

QString bar_csv(const QList<QAbstractBarSeries*>& bars) {
  bool half_widths = false;
  for (QAbstractBarSeries* s : bars)
    for (QBarSet* set : s->barSets()) half_widths |= set->property(kHalfWidthProperty).isValid();
  QString csv;
  add_row(csv, half_widths ? QStringList{"category", "set", "value", "half_width"}
                           : QStringList{"category", "set", "value"});
  for (QAbstractBarSeries* s : bars) {
    const QStringList categories = categories_of(s);
    int count = 0;
    for (QBarSet* set : s->barSets()) count = std::max(count, set->count());
    for (int i = 0; i < count; ++i)
      for (QBarSet* set : s->barSets()) {
        if (i >= set->count()) continue;
        QStringList row{categories.value(i, QString::number(i)), set->label(), number(set->at(i))};
        const QList<qreal> h = set->property(kHalfWidthProperty).value<QList<qreal>>();
        if (half_widths) row.append(i < h.size() ? number(h[i]) : QString());
        add_row(csv, row);
      }
  }
  return csv;
}

QString box_csv(const QList<QBoxPlotSeries*>& boxes) {
  QString csv;
  add_row(csv, {"category", "series", "low", "q1", "median", "q3", "high"});
  for (QBoxPlotSeries* s : boxes) {
    const QStringList categories = categories_of(s);
    const QList<QBoxSet*> sets = s->boxSets();
    for (int i = 0; i < sets.size(); ++i) {
      const QBoxSet* b = sets[i];
      const QString category = b->label().isEmpty() ? categories.value(i, QString::number(i)) : b->label();
      add_row(csv, {category, s->name(), number(b->at(QBoxSet::LowerExtreme)), number(b->at(QBoxSet::LowerQuartile)),
                    number(b->at(QBoxSet::Median)), number(b->at(QBoxSet::UpperQuartile)),
                    number(b->at(QBoxSet::UpperExtreme))});
    }
  }
  return csv;
}

// The x and y column names: the axis titles all the series share, else "x" and "y".
QStringList xy_header(const QList<QXYSeries*>& xys) {
  QString x = axis_title(xys.front(), Qt::Horizontal), y = axis_title(xys.front(), Qt::Vertical);
  for (QXYSeries* s : xys)
    if (axis_title(s, Qt::Horizontal) != x || axis_title(s, Qt::Vertical) != y) x.clear();
  const QString reserved = QStringLiteral("series");
  if (x.isEmpty() || y.isEmpty() || x == y || x == reserved || y == reserved) return {reserved, "x", "y"};
  return {reserved, x, y};
}

QString xy_csv(const QList<QXYSeries*>& xys) {
  QString csv;
  add_row(csv, xy_header(xys));
  for (QXYSeries* s : xys) {
    const QVariant all = s->property(kAllPointsProperty);
    for (const QPointF& p : all.isValid() ? all.value<QList<QPointF>>() : s->points())
      add_row(csv, {s->name(), number(p.x()), number(p.y())});
  }
  return csv;
}

// "p99-latency.png" from the chart's title.
QString default_name(const QChart& chart, const QString& extension) {
  static const QRegularExpression other(QStringLiteral("[^a-z0-9]+")), ends(QStringLiteral("^-+|-+$"));
  QString base = chart.title().toLower().replace(other, QStringLiteral("-")).remove(ends);
  return (base.isEmpty() ? QStringLiteral("chart") : base) + QLatin1Char('.') + extension;
}

using Save = std::function<bool(const QString& path, QString* error)>;

void add_action(QChartView* view, const QString& text, const QString& extension, const QString& filter, Save save) {
  auto* action = new QAction(text, view);
  QObject::connect(action, &QAction::triggered, view, [view, text, extension, filter, save = std::move(save)] {
    const QString path = QFileDialog::getSaveFileName(view, text, default_name(*view->chart(), extension), filter);
    if (path.isEmpty()) return;
    QString error;
    if (!save(path, &error)) QMessageBox::warning(view, QStringLiteral("Export failed"), error);
  });
  view->addAction(action);
}

}  // namespace

bool save_chart_png(QChartView& view, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!open(file, QIODevice::NotOpen, error)) return false;
  const QSize size = export_size(view);
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  {
    QPainter painter(&image);
    paint_view(view, painter, size);
  }
  if (!image.save(&file, "PNG")) return fail(error, path, QStringLiteral("PNG encoding failed"));
  return commit(file, error);
}

bool save_chart_svg(QChartView& view, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!open(file, QIODevice::NotOpen, error)) return false;
  const QSize size = export_size(view);
  QSvgGenerator svg;
  svg.setOutputDevice(&file);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(view.chart()->title().isEmpty() ? QStringLiteral("lvslab chart") : view.chart()->title());
  svg.setDescription(QStringLiteral("exported by lvslab-gui"));
  QPainter painter;
  if (!painter.begin(&svg)) return fail(error, path, QStringLiteral("cannot start the SVG"));
  paint_view(view, painter, size);
  painter.end();
  return commit(file, error);
}

QString chart_csv(const QChart& chart) {
  QList<QAbstractBarSeries*> bars;
  QList<QBoxPlotSeries*> boxes;
  QList<QXYSeries*> xys;
  for (QAbstractSeries* s : chart.series()) {
    if (!exported(s)) continue;
    if (auto* b = qobject_cast<QAbstractBarSeries*>(s)) bars.append(b);
    else if (auto* box = qobject_cast<QBoxPlotSeries*>(s)) boxes.append(box);
    else if (auto* xy = qobject_cast<QXYSeries*>(s)) xys.append(xy);
  }
  if (!bars.empty()) return bar_csv(bars);
  if (!boxes.empty()) return box_csv(boxes);
  if (!xys.empty()) return xy_csv(xys);
  return {};
}

bool save_chart_csv(const QChart& chart, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!open(file, QIODevice::Text, error)) return false;
  const QByteArray bytes = chart_csv(chart).toUtf8();
  if (file.write(bytes) != bytes.size()) return fail(error, path, file.errorString());
  return commit(file, error);
}

void add_export_actions(QChartView* view) {
  add_action(view, QStringLiteral("Save chart as PNG…"), QStringLiteral("png"), QStringLiteral("PNG images (*.png)"),
             [view](const QString& path, QString* error) { return save_chart_png(*view, path, error); });
  add_action(view, QStringLiteral("Save chart as SVG…"), QStringLiteral("svg"), QStringLiteral("SVG images (*.svg)"),
             [view](const QString& path, QString* error) { return save_chart_svg(*view, path, error); });
  add_action(view, QStringLiteral("Save data as CSV…"), QStringLiteral("csv"), QStringLiteral("CSV files (*.csv)"),
             [view](const QString& path, QString* error) { return save_chart_csv(*view->chart(), path, error); });
  view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

}  // namespace lvs::gui
