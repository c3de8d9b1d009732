// TopologyView: the caption saying what the load colours show, and their legend, drawn over
// the view's bottom-left corner in screen pixels (they stay readable whatever the zoom).

#include <QFontMetrics>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>

#include "number_text.hpp"
#include "topology_view.hpp"

namespace lvs::gui {

namespace {
constexpr int kInset = 8, kSwatchWidth = 120, kSwatchHeight = 10, kGap = 4;
}  // namespace

QString load_caption(double sample_time_s) {
  return QStringLiteral("Load in the sample at %1 s (its interval only, not the whole run): "
                        "real server busy workers, director CPU, switch or link busiest direction")
      .arg(number_text(sample_time_s, 1));
}

// A gradient bar through the legend's colours with their labels under it, the caption above.
void TopologyView::drawForeground(QPainter* painter, const QRectF& rect) {
  QGraphicsView::drawForeground(painter, rect);
  if (caption_.isEmpty()) return;
  painter->save();
  painter->resetTransform();  // viewport pixels
  QFont font = painter->font();
  font.setPointSizeF(8.5);
  painter->setFont(font);
  const QFontMetrics fm(font);
  const int width = viewport()->width() - 2 * kInset;
  const QString caption = fm.elidedText(caption_, Qt::ElideRight, width);
  const int bottom = viewport()->height() - kInset;
  const int labels_y = bottom - fm.descent();
  const int bar_y = bottom - fm.height() - kGap - kSwatchHeight;
  const int caption_y = bar_y - kGap - fm.descent();
  painter->setPen(QColor(51, 65, 85));
  painter->drawText(kInset, caption_y, caption);
  const auto legend = load_legend();
  QLinearGradient gradient(kInset, 0, kInset + kSwatchWidth, 0);
  for (std::size_t i = 0; i < legend.size(); ++i)
    gradient.setColorAt(static_cast<double>(i) / static_cast<double>(legend.size() - 1), legend[i].first);
  painter->fillRect(QRect(kInset, bar_y, kSwatchWidth, kSwatchHeight), gradient);
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const int x = kInset + kSwatchWidth * static_cast<int>(i) / static_cast<int>(legend.size() - 1);
    const int w = fm.horizontalAdvance(legend[i].second);
    const int left = i == 0 ? x : x - w / 2;
    painter->drawText(std::max(kInset, left), labels_y, legend[i].second);
  }
  painter->restore();
}

}  // namespace lvs::gui
