#include "compose/pane.h"

#include "compose/panes/noteboard_pane.h"
#include "compose/panes/presentation_pane.h"
#include "compose/panes/sidebar_pane.h"
#include "compose/panes/webcam_pane.h"
#include "compose/panes/whiteboard_pane.h"

namespace ssr::compose {

PaneSet CreatePanes(media::MediaProvider& media) {
  PaneSet panes;
  panes[0] = std::make_unique<SidebarPane>();
  panes[1] = std::make_unique<WebcamPane>(media);
  panes[2] = std::make_unique<PresentationPane>(media);
  panes[3] = std::make_unique<NoteboardPane>(media);
  panes[4] = std::make_unique<WhiteboardPane>(media);
  return panes;
}

} // namespace ssr::compose
