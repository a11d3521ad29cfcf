import type { MessageCatalog } from './catalog-types.ts';

/** Kannada: the verification message and the call flows only (the hosted pages fall back to English). */
export const kn: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'ನಿಮ್ಮ {name} ಪರಿಶೀಲನಾ ಕೋಡ್: {code}',
  'verification.doNotShare': 'ಈ ಕೋಡ್ ಅನ್ನು ಯಾರೊಂದಿಗೂ ಹಂಚಿಕೊಳ್ಳಬೇಡಿ; ನಮ್ಮ ಸಿಬ್ಬಂದಿ ಎಂದಿಗೂ ಈ ಕೋಡ್ ಅನ್ನು ಕೇಳುವುದಿಲ್ಲ.',
  'verification.voiceIntro': 'ನಮಸ್ಕಾರ. ಇದು {name} ಕಡೆಯಿಂದ ಕರೆ.',
  'verification.voiceCode': 'ನಿಮ್ಮ ಪರಿಶೀಲನಾ ಕೋಡ್ {code}.',
  'verification.voiceRepeat': 'ಮತ್ತೊಮ್ಮೆ, ನಿಮ್ಮ ಕೋಡ್ {code}.',
  'verification.voiceGoodbye': 'ವಿದಾಯ.',
  'verification.emailSubject': 'ನಿಮ್ಮ {name} ಪರಿಶೀಲನಾ ಕೋಡ್',
  'verification.emailBody': 'ನಿಮ್ಮ {name} ಪರಿಶೀಲನಾ ಕೋಡ್: {code}',
  'verification.emailExpiry': 'ಈ ಕೋಡ್‌ನ ಅವಧಿ {minutes} ನಿಮಿಷಗಳಲ್ಲಿ ಮುಗಿಯುತ್ತದೆ. ನೀವು ಇದನ್ನು ವಿನಂತಿಸದಿದ್ದರೆ, ಈ ಇಮೇಲ್ ಅನ್ನು ನಿರ್ಲಕ್ಷಿಸಬಹುದು.',
  'verification.psd2': 'ಈ ಕೋಡ್ {payee} ಅವರಿಗೆ {amount} ಪಾವತಿಯನ್ನು ಅನುಮೋದಿಸುತ್ತದೆ.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} ನಿಮ್ಮ ಪರಿಶೀಲನಾ ಕೋಡ್ ಆಗಿದೆ.',
  'verification.whatsappSecurity': 'ನಿಮ್ಮ ಸುರಕ್ಷತೆಗಾಗಿ, ಈ ಕೋಡ್ ಅನ್ನು ಹಂಚಿಕೊಳ್ಳಬೇಡಿ.',
  'verification.whatsappExpiry': 'ಈ ಕೋಡ್‌ನ ಅವಧಿ {minutes} ನಿಮಿಷಗಳಲ್ಲಿ ಮುಗಿಯುತ್ತದೆ.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'ಕೋಡ್ ಅನ್ನು ಮತ್ತೆ ಕೇಳಲು 1 ಒತ್ತಿರಿ.',
  'voice.enterCode': 'ದಯವಿಟ್ಟು ನಿಮ್ಮ ಪರದೆಯ ಮೇಲೆ ತೋರಿಸಿರುವ ಕೋಡ್ ಅನ್ನು ನಮೂದಿಸಿ.',
  'voice.wrongCode': 'ಆ ಕೋಡ್ ಸರಿಯಾಗಿಲ್ಲ.',
  'voice.codeAccepted': 'ಧನ್ಯವಾದಗಳು. ನಿಮ್ಮ ಫೋನ್ ಸಂಖ್ಯೆಯನ್ನು ಪರಿಶೀಲಿಸಲಾಗಿದೆ.',
  'voice.tooManyWrong': 'ಹಲವಾರು ತಪ್ಪು ಕೋಡ್‌ಗಳು. ವಿದಾಯ.',
  'voice.noInput': 'ನಮಗೆ ಯಾವುದೇ ಇನ್‌ಪುಟ್ ಸಿಗಲಿಲ್ಲ.',
  'voice.approvePayment': '{payee} ಅವರಿಗೆ {amount} ಪಾವತಿಯನ್ನು ಅನುಮೋದಿಸಲು ನಿಮ್ಮನ್ನು ಕೇಳಲಾಗುತ್ತಿದೆ.',
  'voice.approveSignIn': 'ನಿಮ್ಮ ಖಾತೆಗೆ ಒಂದು ಸೈನ್-ಇನ್ ನಿಮ್ಮ ಅನುಮೋದನೆಗಾಗಿ ಕಾಯುತ್ತಿದೆ.',
  'voice.pressOneToApprove': 'ಅನುಮೋದಿಸಲು 1 ಒತ್ತಿರಿ. ನಿರಾಕರಿಸಲು ಬೇರೆ ಯಾವುದೇ ಕೀಲಿಯನ್ನು ಒತ್ತಿರಿ.',
  'voice.enterNumberToApprove': 'ಅನುಮೋದಿಸಲು, ನಿಮ್ಮ ಪರದೆಯ ಮೇಲೆ ತೋರಿಸಿರುವ ಎರಡು ಅಂಕಿಗಳನ್ನು ನಮೂದಿಸಿ. ನಿರಾಕರಿಸಲು, ನಕ್ಷತ್ರ ಕೀಲಿಯನ್ನು ಒತ್ತಿರಿ.',
  'voice.approved': 'ಅನುಮೋದಿಸಲಾಗಿದೆ. ಧನ್ಯವಾದಗಳು. ವಿದಾಯ.',
  'voice.denied': 'ನಿರಾಕರಿಸಲಾಗಿದೆ. ಇದು ನೀವಲ್ಲದಿದ್ದರೆ, ದಯವಿಟ್ಟು ನಿಮ್ಮ ಪಾಸ್‌ವರ್ಡ್ ಬದಲಾಯಿಸಿ. ವಿದಾಯ.',
  'voice.noLongerValid': 'ಈ ವಿನಂತಿ ಇನ್ನು ಮುಂದೆ ಮಾನ್ಯವಾಗಿಲ್ಲ. ವಿದಾಯ.',
  'voice.flashAnswered': 'ಈ ಕರೆ ನಿಮ್ಮ ಫೋನ್ ಸಂಖ್ಯೆಯನ್ನು ಮಾತ್ರ ಪರಿಶೀಲಿಸುತ್ತದೆ. ನೀವು ಈಗ ಕರೆಯನ್ನು ಕೊನೆಗೊಳಿಸಬಹುದು. ವಿದಾಯ.',
  'voice.sayPassPhrase': 'ಬೀಪ್ ಶಬ್ದದ ನಂತರ, ನಿಮ್ಮ ಪಾಸ್‌ಫ್ರೇಸ್ ಹೇಳಿ.',
  'voice.sayItAgain': 'ಧನ್ಯವಾದಗಳು. ಬೀಪ್ ನಂತರ ಇನ್ನೊಮ್ಮೆ.',
  'voice.recordAgain': 'ನಿಮ್ಮ ಧ್ವನಿ ಸರಿಯಾಗಿ ಕೇಳಿಸಲಿಲ್ಲ. ದಯವಿಟ್ಟು ಬೀಪ್ ನಂತರ ಮತ್ತೆ ಪ್ರಯತ್ನಿಸಿ.',
  'voice.voiceprintReady': 'ನಿಮ್ಮ ಧ್ವನಿಮುದ್ರೆ ಸಿದ್ಧವಾಗಿದೆ. ವಿದಾಯ.',
  'voice.voiceMatched': 'ಧನ್ಯವಾದಗಳು. ನಿಮ್ಮ ಧ್ವನಿಯನ್ನು ಪರಿಶೀಲಿಸಲಾಗಿದೆ. ವಿದಾಯ.',
  'voice.voiceNotMatched': 'ನಿಮ್ಮ ಧ್ವನಿ ಹೊಂದಿಕೆಯಾಗಲಿಲ್ಲ. ವಿದಾಯ.',
};
