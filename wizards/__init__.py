from . import union_reason_wizard
from . import union_bulk_result_wizard
from . import union_pledge_campaign_wizard
from . import union_evaluation_campaign_wizard
from . import union_organization_restructure_wizard
from . import union_document_export_wizard
