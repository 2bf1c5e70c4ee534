// English messages: exactly the keys of vi.ts (the type below makes a missing key a build error).
import type { MessageKey } from './vi';

const en: Record<MessageKey, string> = {
  // Shell
  'site.province': 'Sông Trà Province',
  'site.name': 'Public Service Portal',
  'site.tagline': 'One-stop electronic service system',
  'site.skip': 'Skip to main content',
  'site.footer': 'Public Service Portal of Sông Trà Province — a fictional province for demonstration.',
  'site.footer.hotline': 'Help: 1900 0000 (office hours)',
  'site.footer.api': 'API documentation',
  'nav.label': 'Main navigation',
  'nav.home': 'Procedures',
  'nav.verify': 'Verify a document',
  'nav.lookup': 'Track a dossier',
  'nav.mine': 'My dossiers',
  'nav.officer': 'Officer workspace',
  'nav.admin': 'Administration',
  'nav.signin': 'Sign in',
  'nav.register': 'Register',
  'nav.signout': 'Sign out',
  'nav.menu': 'Menu',
  'nav.signedInAs': 'Signed in: {name}',
  'lang.label': 'Language',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',
  'lang.switchTo': 'Tiếng Việt',
  'lang.switchToLabel': 'Switch to Vietnamese',

  // Common
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.back': 'Back',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.confirm': 'Confirm',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.none': 'None',
  'common.free': 'Free',
  'common.print': 'Print',
  'common.required': 'required',
  'common.optional': 'optional',
  'common.requiredMark': '(required)',
  'common.search': 'Search',
  'common.next': 'Next page',
  'common.previous': 'Previous page',
  'common.details': 'Details',

  // Errors
  'error.generic': 'Something went wrong. Please try again.',
  'error.network': 'Cannot reach the server. Please check your connection and try again.',
  'error.status': 'The server answered with error {status}.',
  'error.notFound.title': 'Page not found',
  'error.notFound.body': 'This address is not part of the portal.',
  'error.areaFailed': 'This part of the page could not be loaded. Please reload the page.',
  'error.signInRequired.title': 'Sign-in required',
  'error.signInRequired.body': 'Please sign in to continue.',
  'error.forbidden.title': 'Access denied',
  'error.forbidden.body': 'Your account may not open this page.',
  'error.sessionExpired': 'Your session has ended. Please sign in again.',

  // Files
  'file.bad_type': 'Only PDF, JPEG or PNG files are accepted.',
  'file.bad_content': 'The file content is not a valid PDF, JPEG or PNG.',
  'file.empty': 'The file is empty.',
  'file.too_large': 'The file is larger than {max}.',

  // Validation
  'validate.required': 'Please fill in this field.',
  'validate.phone': 'Invalid mobile number (10 digits starting with 03, 05, 07, 08 or 09).',
  'validate.citizen_id': 'The personal ID number must have 12 digits.',
  'validate.citizen_id_province': 'The first three digits of the ID number are not a valid province code.',
  'validate.email': 'Invalid e-mail address.',
  'validate.password_length': 'The password must have {min} to {max} characters.',
  'validate.password_match': 'The two passwords differ.',
  'validate.summary': 'Please correct the {n} errors below.',

  // Time limits
  'timeLimit.same_day': 'Same day',
  'timeLimit.working_days': '{n} working days',
  'timeLimit.working_days_hours': '{n} working days {h} hours',
  'timeLimit.working_hours': '{n} working hours',
  'timeLimit.calendar_days': '{n} days',
  // Dossier states
  'state.submitted': 'Submitted, awaiting intake',
  'state.received': 'Received',
  'state.refused': 'Refused at intake',
  'state.in_processing': 'In processing',
  'state.supplement_requested': 'Documents requested',
  'state.withdrawn': 'Withdrawn',
  'state.cancelled': 'Processing stopped',
  'state.result_ready': 'Result ready for collection',
  'state.returned': 'Result returned',

  // Channels
  'channel.online': 'Online',
  'channel.counter': 'In person at the one-stop desk',
  'channel.post': 'By post',
  'channel.assisted': 'Online with help (community digital team)',

  // Dossier events
  'event.DossierSubmitted': 'Submitted',
  'event.DossierReceived': 'Received',
  'event.DossierRefused': 'Refused at intake',
  'event.StepCompleted': 'Processing step completed',
  'event.DossierProcessed': 'Processing completed',
  'event.DossierTransferred': 'Transferred',
  'event.ConsultationRequested': 'Opinion requested from another agency',
  'event.ConsultationAnswered': 'Opinion received',
  'event.SupplementRequested': 'Additional documents requested',
  'event.SupplementProvided': 'Additional documents provided',
  'event.ApologyIssued': 'Apology and new appointment',
  'event.ResultIssued': 'Electronic result issued',
  'event.DossierReturned': 'Result returned',
  'event.DossierWithdrawn': 'Withdrawn',
  'event.DossierCancelled': 'Processing stopped',
  'event.DossierRated': 'Satisfaction rated',

  // Satisfaction
  'rating.very_satisfied': 'Very satisfied',
  'rating.satisfied': 'Satisfied',
  'rating.unsatisfied': 'Unsatisfied',

  // Catalogue vocabulary
  'online.full': 'Fully online',
  'online.partial': 'Partly online',
  'online.none': 'In person only',
  'level.commune': 'Commune level',
  'level.province': 'Province level',
  'paper.original': 'Original',
  'paper.copy': 'Copy',
  'paper.certified_copy': 'Certified copy',
  'paper.show_only': 'Show the original',
};

export default en;
