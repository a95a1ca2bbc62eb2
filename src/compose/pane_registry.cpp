#include "compose/pane.h"

#include "compose/panes/sidebar_pane.h"
#include "compose/panes/webcam_pane.h"

namespace ssr::compose {

PaneSet CreatePanes(media::MediaProvider& media) {
  PaneSet panes;
  panes[0] = std::make_unique<SidebarPane>();
  panes[1] = std::make_unique<WebcamPane>(media);
  return panes;
}

}  // namespace ssr::compose
