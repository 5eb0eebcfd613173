"""Parse uploaded BPMN and DMN files without entities, DTDs, network access or huge trees."""

from lxml import etree

from webapp.domain.messages import N_

MAX_FILE_BYTES = 2 * 1024 * 1024

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DMN_NAMESPACES = frozenset(
    {
        "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
        "http://www.omg.org/spec/DMN/20180521/MODEL/",
        "https://www.omg.org/spec/DMN/20191111/MODEL/",
    }
)


_NOT_XML = N_("%(file)s is not well-formed XML (line %(line)s).")


class UnsafeXml(ValueError):
    """The file is refused before any parser sees it: `message` is a message id, `params` its values."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params)
        self.message = message
        self.params = params


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
    )


def parse(name: str, data: bytes) -> etree._Element:
    """The root element of `data`, or UnsafeXml naming the file and what is wrong with it."""
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeXml(N_("%(file)s is larger than 2 MB."), file=name)
    # Refuse DTDs outright: no BPMN or DMN needs one, and entities are how XML bombs start.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeXml(N_("%(file)s declares a DOCTYPE or entities, which are not allowed."), file=name)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        # lxml's own wording ("StartTag: invalid element name") helps no supervisor: the line does.
        raise UnsafeXml(_NOT_XML, file=name, line=str(error.lineno or 1)) from error
    except ValueError as error:  # e.g. an encoding declaration lxml cannot use
        raise UnsafeXml(_NOT_XML, file=name, line="1") from error
    docinfo = root.getroottree().docinfo
    # Other encodings (UTF-16) slip past the byte check above; the parsed tree tells the truth.
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXml(N_("%(file)s declares a DOCTYPE or entities, which are not allowed."), file=name)
    return root


def kind(root: etree._Element) -> str:
    """'bpmn', 'dmn' or '' from the root element's namespace."""
    namespace = etree.QName(root).namespace or ""
    if namespace == BPMN_NS:
        return "bpmn"
    if namespace in DMN_NAMESPACES:
        return "dmn"
    return ""
