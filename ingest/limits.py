"""How much one file may make Styrbot read, so that a small hostile file cannot exhaust memory or CPU.

An Office file is a ZIP package: a few kilobytes may inflate to gigabytes of XML, and an XML tree takes
about ten times its text in memory. So every part is inflated as a stream and counted, against its real
size and not the size its header claims, before any parser builds a tree; and the text a document gives
is bounded too, since every character is analysed, chunked and embedded.
"""

MAX_FILE_BYTES = 50 * 1024 * 1024  # a file on disk or uploaded
MAX_TEXT_CHARS = 5_000_000  # the text of one document (about 2,500 pages)
MAX_PARTS = 10_000  # members of an Office package
MAX_XML_BYTES = 24 * 1024 * 1024  # all XML parts together, inflated (a 300-page report's body is a few MB)
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # all parts together, inflated (pictures hardly compress: a 50 MB
# file of pictures unpacks to little more)
INFLATE_CHUNK = 1024 * 1024  # bytes inflated at a time while counting
