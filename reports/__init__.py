from . import union_layout_xlsx
from . import union_annual_report_xlsx
from . import union_pledge_xlsx
from . import union_member_evaluation_xlsx
from . import union_commendation_xlsx
from . import union_exemplar_xlsx
from . import union_term_report_xlsx
