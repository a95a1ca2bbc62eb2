#include "compose/panes/presentation_pane.h"

namespace ssr::compose {

// Not drawn yet: the pane gives its space to the others.
bool PresentationPane::Prepare(const FrameContext& /*ctx*/) { return false; }

void PresentationPane::DrawStatic(cairo_t* /*cr*/, media::Rect /*rect*/, double /*scale*/) {}

}  // namespace ssr::compose
