#pragma once
// The layout every lvslab window shares: its controls in a column on the left (pushed to
// the top), and its charts taking the rest of the width.

#include <QHBoxLayout>
#include <QLayout>
#include <QMainWindow>
#include <QVBoxLayout>
#include <QWidget>

namespace lvs::gui {

/// Makes `form` the left column and `main` the stretching rest of `window`, sized `width` x `height`.
inline void set_side_panel_layout(QMainWindow& window, QLayout* form, QLayout* main, int width, int height) {
  auto* central = new QWidget;
  auto* layout = new QHBoxLayout(central);
  auto* side = new QVBoxLayout;
  side->addLayout(form);
  side->addStretch();
  layout->addLayout(side);
  layout->addLayout(main, 1);
  window.setCentralWidget(central);
  window.resize(width, height);
}

}  // namespace lvs::gui
