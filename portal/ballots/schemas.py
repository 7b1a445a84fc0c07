"""Input of a ballot: the drafting form and the JSON API share this schema."""
import colander
import deform

from portal import schematypes, uploads
from portal.ballots import rules
from portal.i18n import _
from portal.preparers import strip



@colander.deferred
def category_widget(node, kw):
    translate = kw["request"].localizer.translate if kw.get("request") else (lambda s: s)
    return deform.widget.SelectWidget(values=[
        (str(number), f"{number}. {translate(title)} ({translate(RULE_SHORT[rule])})")
        for number, (rule, title) in rules.CATEGORIES.items()])


RULE_SHORT = {rules.ORDINARY: _("ordinary majority"), rules.SPECIAL: _("special majority, three quarters")}


RANKINGS = {"owners_first": _("By agreeing owners, then their area"),
            "area_first": _("By the area of agreeing owners, then their number")}
KIND_TITLES = {"question": _("Question: agree, oppose or abstain"),
               "election": _("Election of owners' committee members"),
               "choice": _("Choice of one of several options")}


@colander.deferred
def kind_widget(node, kw):
    translate = kw["request"].localizer.translate if kw.get("request") else (lambda s: s)
    return deform.widget.SelectWidget(values=[(k, translate(t)) for k, t in KIND_TITLES.items()])


def listed(add_text, min_len=None, max_len=None):
    """A list's widget (templates/deform/sequence.pt): its own "add another" words in natural
    language, text buttons to move and remove items, and the lengths the schema allows."""
    return deform.widget.SequenceWidget(add_subitem_text_template=add_text, orderable=True,
                                        min_len=min_len, max_len=max_len)


class CandidateSchema(colander.MappingSchema):
    name = colander.SchemaNode(colander.String(), title=_("Candidate's name"), preparer=strip,
                               validator=colander.Length(1, 50), missing_msg=_("Give the candidate's name."))
    statement = colander.SchemaNode(colander.String(), title=_("Short statement"), preparer=strip, missing="",
                                    validator=colander.Length(0, 2000), widget=deform.widget.TextAreaWidget(rows=3))


class CandidatesSchema(colander.SequenceSchema):
    candidate = CandidateSchema(title=_("Candidate"))

    def __init__(self, *args, **kw):
        super().__init__(*args, widget=listed(_("Add a candidate")), **kw)


class OptionSchema(colander.MappingSchema):
    title = colander.SchemaNode(colander.String(), title=_("Option"), preparer=strip,
                                validator=colander.Length(1, 200), missing_msg=_("Give the option a title."))
    text = colander.SchemaNode(colander.String(), title=_("What the option means"), preparer=strip, missing="",
                               validator=colander.Length(0, 5000), widget=deform.widget.TextAreaWidget(rows=3))


class OptionsSchema(colander.SequenceSchema):
    option = OptionSchema(title=_("Option"))

    def __init__(self, *args, **kw):
        super().__init__(*args, widget=listed(_("Add an option"), max_len=rules.OPTIONS[1]), **kw)


def election_is_category_3(values):
    """An election of owners' committee members is always category 3 (Civil Code art. 278)."""
    if isinstance(values, dict) and values.get("kind") == "election":
        return dict(values, category=rules.ELECTION_CATEGORY)
    return values


def check_matter(node, values):
    """The rules of each kind's extra fields (ballots.rules), at the fields they concern."""
    exc = colander.Invalid(node)
    if values["kind"] == "election":
        names = [c["name"] for c in values["candidates"]]
        problems = rules.election_problems(values["seats"], values["alternates"], names)
    elif values["kind"] == "choice":
        problems = rules.choice_problems([o["title"] for o in values["options"]])
    else:
        problems = []
    for field, message in problems:
        exc[field] = message
    if exc.children:
        raise exc


class MatterSchema(colander.MappingSchema):
    kind = colander.SchemaNode(colander.String(), title=_("Kind of matter"), widget=kind_widget,
                               missing="question", validator=colander.OneOf(list(KIND_TITLES)))
    title = colander.SchemaNode(colander.String(), title=_("Title of the matter"), preparer=strip,
                                validator=colander.Length(1, 200), missing_msg=_("Give the matter a title."))
    text = colander.SchemaNode(colander.String(), title=_("Full text of the proposal"), preparer=strip,
                               validator=colander.Length(1, 20000), widget=deform.widget.TextAreaWidget(rows=5),
                               missing_msg=_("Give the full text of the proposal."))
    category = colander.SchemaNode(
        schematypes.Integer(), title=_("Category (Civil Code art. 278)"), widget=category_widget,
        validator=colander.OneOf(list(rules.CATEGORIES)), missing_msg=_("Choose the matter's category."),
        description=_("The category fixes the rule: categories 6, 7 and 8 need three quarters of the "
                      "participating area and owners to agree, the others more than half. An election "
                      "is always category 3."))
    seats = colander.SchemaNode(colander.Int(), title=_("Seats to fill (election)"), missing=1,
                                description=_("How many members this election elects, 1 to 21."))
    alternates = colander.SchemaNode(colander.Int(), title=_("Alternates (election)"), missing=0,
                                     description=_("How many alternates it names, 0 to 10."))
    candidates = CandidatesSchema(title=_("Candidates (election)"), missing=(),
                                  description=_("Only owners of the community may stand; the street office "
                                                "confirms each candidate before the notice."))
    options = OptionsSchema(title=_("Options (choice)"), missing=(),
                            description=_("2 to 10 options; one is adopted only if it alone wins the "
                                          "category's majority."))

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=check_matter, preparer=election_is_category_3, **kw)


class MattersSchema(colander.SequenceSchema):
    matter = MatterSchema(title=_("Matter"))

    def __init__(self, *args, **kw):
        super().__init__(*args, widget=listed(_("Add another matter"), min_len=1, max_len=30), **kw)


@colander.deferred
def scope_widget(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=[(b, b) for b in kw.get("buildings", ())], inline=True)


@colander.deferred
def scope_validator(node, kw):
    return colander.ContainsOnly(list(kw.get("buildings", ())))


def rule_validator(problem):
    """A colander validator from a rule function that returns a message or None."""
    def validate(node, value):
        message = problem(value)
        if message is not None:
            raise colander.Invalid(node, message)
    return validate


def check_ballot(node, values):
    problem = rules.window_problem(values["start_date"], values["end_date"])
    exc = colander.Invalid(node)
    if problem is not None:
        exc["end_date"] = problem
    if values.get("follow_majority") and not values.get("follow_majority_basis"):
        exc["follow_majority_basis"] = _("Name the article of the rules of procedure that says so.")
    if exc.children:
        raise exc


@colander.deferred
def attachment_widget(node, kw):
    from portal.register.schemas import MemoryTmpStore

    request = kw.get("request")
    label = request.localizer.translate(ATTACHMENT_LABEL) if request is not None else ATTACHMENT_LABEL
    # deform shows no label for a sequence's items: name the file input for screen readers
    return deform.widget.FileUploadWidget(MemoryTmpStore(), accept=".pdf,.png,.jpg,.jpeg",
                                          attributes={"aria-label": label})


ATTACHMENT_LABEL = _("Attachment file")


def check_upload(node, value):
    from portal.uploads import problem

    message = problem(value["fp"].read() if value and value.get("fp") else b"")
    if value and value.get("fp"):
        value["fp"].seek(0)
    if message is not None:
        raise colander.Invalid(node, message)


class AttachmentsSchema(colander.SequenceSchema):
    attachment = colander.SchemaNode(uploads.FileData(), title=_("File (PDF, PNG or JPEG, at most 5 MB)"),
                                     widget=attachment_widget, validator=check_upload, missing=colander.drop)

    def __init__(self, *args, **kw):
        super().__init__(*args, widget=listed(_("Add a file")), **kw)


@colander.deferred
def remove_widget(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=list(kw.get("attachments", ())))


@colander.deferred
def remove_validator(node, kw):
    return colander.ContainsOnly([value for value, _title in kw.get("attachments", ())])


@colander.deferred
def rules_widget(node, kw):
    return deform.widget.SelectWidget(values=[("", "—")] + list(kw.get("rules_documents", ())))


@colander.deferred
def rules_validator(node, kw):
    return colander.OneOf([""] + [value for value, _title in kw.get("rules_documents", ())])


class BallotSchema(colander.MappingSchema):
    title = colander.SchemaNode(colander.String(), title=_("Title"), preparer=strip,
                                validator=colander.Length(1, 200), missing_msg=_("Give the ballot a title."))
    description = colander.SchemaNode(colander.String(), title=_("Explanation for owners"), preparer=strip,
                                      missing="", widget=deform.widget.TextAreaWidget(rows=4))
    start_date = colander.SchemaNode(schematypes.Date(), title=_("First day of voting"),
                                     missing_msg=_("Choose the first day of voting."),
                                     description=_("Voting opens at 00:00 (Beijing time) on this day."))
    end_date = colander.SchemaNode(schematypes.Date(), title=_("Last day of voting"),
                                   missing_msg=_("Choose the last day of voting."),
                                   description=_("Voting closes at 24:00 on this day; at most 30 days in all."))
    scope = colander.SchemaNode(colander.Set(), title=_("Buildings that vote"), widget=scope_widget,
                                validator=scope_validator, missing=(),
                                description=_("Tick none for the whole community."))
    allow_vote_change = colander.SchemaNode(schematypes.Boolean(), missing=False,
                                            title=_("Owners may change their vote until voting closes"))
    allow_paper = colander.SchemaNode(schematypes.Boolean(), missing=True, default=True,
                                      title=_("Paper ballots are accepted"))
    allow_proxies = colander.SchemaNode(schematypes.Boolean(), missing=True, default=True,
                                        title=_("Written proxies are accepted"))
    election_ranking = colander.SchemaNode(
        colander.String(), missing="owners_first", default="owners_first",
        title=_("How qualified candidates of an election are ranked"),
        validator=colander.OneOf(list(RANKINGS)), widget=deform.widget.SelectWidget(values=list(RANKINGS.items())))
    electronic_prevails = colander.SchemaNode(
        colander.Boolean(), missing=True, default=True,
        title=_("If a unit votes both electronically and on paper, the electronic vote counts"))
    notice_days = colander.SchemaNode(
        colander.Int(strict=True), missing=rules.DEFAULT_NOTICE_DAYS, default=rules.DEFAULT_NOTICE_DAYS,
        title=_("Notice period (days before voting starts, the day of publication not counted)"),
        validator=rule_validator(rules.notice_days_problem))
    objection_days = colander.SchemaNode(
        colander.Int(strict=True), missing=rules.DEFAULT_OBJECTION_DAYS, default=rules.DEFAULT_OBJECTION_DAYS,
        title=_("Objection period after the preliminary results (days)"),
        validator=rule_validator(rules.objection_days_problem))
    follow_majority = colander.SchemaNode(
        schematypes.Boolean(), missing=False,
        title=_("Owners who do not vote follow the majority (only if the rules of procedure say so)"))
    follow_majority_basis = colander.SchemaNode(colander.String(), missing="", preparer=strip,
                                                title=_("Article of the rules of procedure"))
    rules_document = colander.SchemaNode(colander.String(), missing="", title=_("The filed rules of procedure it relies on"),
                                         widget=rules_widget, validator=rules_validator)
    matters = MattersSchema(title=_("Matters to vote on"), validator=colander.Length(
        1, 30, min_err=_("Add at least one matter.")))
    attachments = AttachmentsSchema(title=_("Attachments (full texts, plans, quotations)"), missing=(),
                                    description=_("Added to those already attached."))
    remove_attachments = colander.SchemaNode(colander.Set(), title=_("Remove attachments"), missing=(),
                                             widget=remove_widget, validator=remove_validator,
                                             description=_("Tick the files to take off the draft."))

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=check_ballot, **kw)

    def after_bind(self, node, kw):
        """Only a draft with attachments offers to remove some (``attachments``: [(index, name)])."""
        if not kw.get("attachments"):
            del node["remove_attachments"]


class TransitionSchema(colander.MappingSchema):
    comment = colander.SchemaNode(colander.String(), missing="", preparer=strip, title=_("Comment"),
                                  validator=colander.Length(0, 2000))


class ExtensionSchema(colander.MappingSchema):
    end_date = colander.SchemaNode(schematypes.Date(), title=_("New last day of voting"))
