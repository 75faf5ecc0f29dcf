"""Imports every area's models so that the metadata (migrations, tests) sees all tables."""
from .accounts.models import AccountToken, ApiToken, RoleAssignment, User, UserSession  # noqa: F401
from .areas.models import Area  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .council.models import (  # noqa: F401
    CouncilEstablishment,
    CouncilInstitution,
    CouncilMember,
    CouncilSeat,
    Institution,
    MunicipalCouncilSession,
)
from .crime_statistics.models import CrimeCount, CrimeStatisticsSettings, CrimeStatisticsUpload, OffenceCategory  # noqa: F401
from .documents.models import Document  # noqa: F401
from .meetings.models import AgendaItem, AgendaMaterial, Attendance, ExtraDayOff, Invitation, Meeting  # noqa: F401
from .meetings.models import MaterialLink  # noqa: F401
from .consultation_tables.models import RecommendationFollowUp  # noqa: F401
from .municipalities.models import County, Municipality  # noqa: F401
from .records.models import Decision, DecisionVersion, MinutesVersion, PressRelease  # noqa: F401
from .concerns.models import Concern, RiskCategory  # noqa: F401
from .risks.models import Risk, RiskConcern, RiskEvidence, RiskRating  # noqa: F401
from .plans.models import (  # noqa: F401
    InstitutionOfficer,
    MonitoringReport,
    Plan,
    PlanActivity,
    PlanActivityInstitution,
    PlanFunding,
    PlanIndicator,
    PlanItem,
    PlanVersion,
    ProgressEntry,
    ProgressEvidence,
    ProgressValue,
)
from .compliance.models import ComplianceModelVersion, ComplianceSnapshot  # noqa: F401
from .consultation_tables.models import (  # noqa: F401
    ConsultationParticipant,
    ConsultationRecommendation,
    ConsultationTable,
)
from .consultation_tables.models import (  # noqa: F401
    ConsultationTheme,
    FundingRequest,
    NationalBody,
    NationalRecommendation,
    NationalRecommendationFollowUp,
)
from .surveys.models import (  # noqa: F401
    SurveyImport,
    SurveyInvitation,
    SurveyLocalQuestion,
    SurveyQuestion,
    SurveyQuestionnaire,
    SurveyResponse,
    SurveyWave,
    SurveyWaveArea,
)
from .data_protection.models import DataArchive, DataProtectionSettings  # noqa: F401
from .caching.models import DataStamp  # noqa: F401
from .obligations.models import CalendarFeed, ObligationSettings, ReminderSent, Waiver  # noqa: F401
from .council.models import MunicipalCouncilParty  # noqa: F401
from .webhooks.models import Attempt, Delivery, Event, NationalSubscription, Subscription  # noqa: F401
from .grants.models import (  # noqa: F401
    GrantApplication,
    GrantAttachment,
    GrantAward,
    GrantBudgetLine,
    GrantCall,
    GrantCallActivity,
    GrantCommitteeMember,
    GrantConflict,
    GrantCriterion,
    GrantEligibilityCheck,
    GrantReport,
    GrantScore,
    GrantTranche,
)
