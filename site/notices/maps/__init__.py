"""A notice's area as a polygon: the formats editors paste and the datum shifts (`geometry`),
the server-side SVG map residents see without JavaScript (`svg`) and the admin's drawing
widget (`widgets`)."""
