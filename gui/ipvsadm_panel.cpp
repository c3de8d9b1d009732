#include "ipvsadm_panel.hpp"

#include <algorithm>

#include <QComboBox>
#include <QSignalBlocker>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace lvs::gui {

const std::vector<std::string>& ipvsadm_panel_views() {
  static const std::vector<std::string> views{"-Ln",           "-Ln --stats",      "-Ln --stats --exact",
                                              "-Ln --rate",    "-Ln --thresholds", "-Ln --persistent-conn",
                                              "-Ln --timeout", "-Lnc",             "-S -n"};
  return views;
}

IpvsadmPanel::IpvsadmPanel(QWidget* parent)
    : QWidget(parent), view_(new QComboBox), director_(new QComboBox), text_(new QPlainTextEdit) {
  for (const std::string& v : ipvsadm_panel_views()) view_->addItem(QStringLiteral("ipvsadm ") + QString::fromStdString(v));
  text_->setReadOnly(true);
  text_->setLineWrapMode(QPlainTextEdit::NoWrap);
  text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(QStringLiteral("View")));
  bar->addWidget(view_);
  bar->addWidget(new QLabel(QStringLiteral("on director")));
  bar->addWidget(director_);
  bar->addWidget(new QLabel(QStringLiteral("at the end of the last run")));
  bar->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(text_, 1);
  connect(view_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(director_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
}

void IpvsadmPanel::show_result(const run::RunResult& r) {
  views_ = r.ipvsadm;
  const QString chosen = director_->currentText();
  const QSignalBlocker block(director_);
  director_->clear();
  for (const run::DirectorResult& d : r.directors) director_->addItem(QString::fromStdString(d.name));
  director_->setCurrentIndex(std::max(0, director_->findText(chosen)));
  refresh();
}

QString IpvsadmPanel::text() const { return text_->toPlainText(); }

void IpvsadmPanel::refresh() {
  const std::string args = ipvsadm_panel_views()[static_cast<std::size_t>(std::max(0, view_->currentIndex()))];
  const std::string director = director_->currentText().toStdString();
  for (const run::IpvsadmSnapshot& v : views_)
    if (v.args == args && v.director == director) return text_->setPlainText(QString::fromStdString(v.text));
  text_->setPlainText({});
}

}  // namespace lvs::gui
