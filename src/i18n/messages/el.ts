import type { MessageCatalog } from './catalog-types.ts';

/** Greek: the verification message and the call flows only (the hosted pages fall back to English). */
export const el: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Ο κωδικός επαλήθευσής σας για {name} είναι: {code}',
  'verification.doNotShare': 'Μην κοινοποιήσετε αυτόν τον κωδικό σε κανέναν· οι υπάλληλοί μας δεν θα σας τον ζητήσουν ποτέ.',
  'verification.voiceIntro': 'Γεια σας. Εδώ {name}.',
  'verification.voiceCode': 'Ο κωδικός επαλήθευσής σας είναι {code}.',
  'verification.voiceRepeat': 'Επαναλαμβάνω, ο κωδικός σας είναι {code}.',
  'verification.voiceGoodbye': 'Αντίο.',
  'verification.emailSubject': 'Ο κωδικός επαλήθευσής σας για {name}',
  'verification.emailBody': 'Ο κωδικός επαλήθευσής σας για {name} είναι: {code}',
  'verification.emailExpiry': 'Αυτός ο κωδικός λήγει σε {minutes, plural, one {{minutes} λεπτό} other {{minutes} λεπτά}}. Αν δεν τον ζητήσατε, μπορείτε να αγνοήσετε αυτό το email.',
  'verification.psd2': 'Αυτός ο κωδικός εγκρίνει μια πληρωμή {amount} προς {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': 'Ο {code} είναι ο κωδικός επαλήθευσής σας.',
  'verification.whatsappSecurity': 'Για την ασφάλειά σας, μην κοινοποιήσετε αυτόν τον κωδικό.',
  'verification.whatsappExpiry': 'Αυτός ο κωδικός λήγει σε {minutes, plural, one {{minutes} λεπτό} other {{minutes} λεπτά}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Για να ακούσετε ξανά τον κωδικό, πατήστε 1.',
  'voice.enterCode': 'Πληκτρολογήστε τον κωδικό που εμφανίζεται στην οθόνη σας.',
  'voice.wrongCode': 'Αυτός ο κωδικός δεν είναι σωστός.',
  'voice.codeAccepted': 'Ευχαριστούμε. Ο αριθμός τηλεφώνου σας επαληθεύτηκε.',
  'voice.tooManyWrong': 'Πάρα πολλοί λανθασμένοι κωδικοί. Αντίο.',
  'voice.noInput': 'Δεν λάβαμε καμία απάντηση.',
  'voice.approvePayment': 'Σας ζητείται να εγκρίνετε μια πληρωμή {amount} προς {payee}.',
  'voice.approveSignIn': 'Μια σύνδεση στον λογαριασμό σας περιμένει την έγκρισή σας.',
  'voice.pressOneToApprove': 'Για έγκριση, πατήστε 1. Για απόρριψη, πατήστε οποιοδήποτε άλλο πλήκτρο.',
  'voice.enterNumberToApprove': 'Για έγκριση, πληκτρολογήστε τα δύο ψηφία που εμφανίζονται στην οθόνη σας. Για απόρριψη, πατήστε το πλήκτρο αστερίσκος.',
  'voice.approved': 'Εγκρίθηκε. Ευχαριστούμε. Αντίο.',
  'voice.denied': 'Απορρίφθηκε. Αν δεν ήσασταν εσείς, αλλάξτε τον κωδικό πρόσβασής σας. Αντίο.',
  'voice.noLongerValid': 'Αυτό το αίτημα δεν είναι πλέον έγκυρο. Αντίο.',
  'voice.flashAnswered': 'Αυτή η κλήση επαληθεύει μόνο τον αριθμό τηλεφώνου σας. Μπορείτε να κλείσετε τώρα. Αντίο.',
  'voice.sayPassPhrase': 'Μετά τον ήχο, πείτε τη φράση πρόσβασής σας.',
  'voice.sayItAgain': 'Ευχαριστούμε. Άλλη μια φορά, μετά τον ήχο.',
  'voice.recordAgain': 'Δεν σας ακούσαμε καλά. Δοκιμάστε ξανά μετά τον ήχο.',
  'voice.voiceprintReady': 'Το φωνητικό σας αποτύπωμα είναι έτοιμο. Αντίο.',
  'voice.voiceMatched': 'Ευχαριστούμε. Η φωνή σας επαληθεύτηκε. Αντίο.',
  'voice.voiceNotMatched': 'Η φωνή σας δεν ταίριαξε. Αντίο.',
};
