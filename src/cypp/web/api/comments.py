"""Comments on measures: read a measure's comments and add one.

The same rule as on the measure page (``comment.add``): administrators, officers and
board members on any measure, measure owners on their organisation's measures, the
public never. Reading follows it too, since the comments are the partnership's working
conversation, not published text. Adding needs an API token.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cypp.web.api.auth import caller, require, visible
from cypp.web.api.pagination import Pages
from cypp.web.api.params import Id
from cypp.web.api.schemas import ErrorOut, FieldError
from cypp.web.performance import actions
from cypp.web.performance.models import MeasureComment
from cypp.web.plans import models as pm

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    measure: int = Field(description="The measure's database id.", alias="measure_id")
    text: str
    at: datetime = Field(description="When the comment was added.")
    by: str = Field(description="Who added it, as named then.", alias="by_name")
    role: str = Field(description="Their role then.", alias="by_role")


class CommentIn(Schema):
    text: str = Field(
        max_length=actions.COMMENT_MAX,
        description=f"The comment (at most {actions.COMMENT_MAX} characters).",
    )


def _measure(request: HttpRequest, measure_id: int) -> pm.Measure:
    found = pm.Measure.objects.select_related("theme__plan").filter(pk=measure_id).first()
    measure: pm.Measure = visible(request, "plan.view", found, "measure")
    require(request, "comment.add", measure)
    return measure


@router.get(
    "/measures/{measure_id}/comments",
    response=list[CommentOut],
    summary="A measure's comments, newest first",
)
@paginate(Pages)
def measure_comments(request: HttpRequest, measure_id: Id) -> Any:
    return MeasureComment.objects.filter(measure=_measure(request, measure_id))


@router.post(
    "/measures/{measure_id}/comments",
    response={201: CommentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a comment to a measure",
)
def add_measure_comment(request: HttpRequest, measure_id: Id, body: CommentIn) -> Any:
    measure = _measure(request, measure_id)
    try:
        comment = actions.add_comment(measure, body.text, user=caller(request), actor="API")
    except actions.NoteError as error:
        return Status(
            422,
            ErrorOut(
                detail="the comment was not added: " + str(error),
                errors=[FieldError(field=f, message=m) for f, m in error.errors.items()],
            ),
        )
    return Status(201, CommentOut.model_validate(comment))
