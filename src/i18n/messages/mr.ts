import type { MessageCatalog } from './catalog-types.ts';

/** Marathi: the verification message and the call flows only (the hosted pages fall back to English). */
export const mr: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'तुमचा {name} पडताळणी कोड आहे: {code}',
  'verification.doNotShare': 'हा कोड कोणाशीही शेअर करू नका; आमचे कर्मचारी कधीही हा कोड मागणार नाहीत.',
  'verification.voiceIntro': 'नमस्कार. हा कॉल {name} कडून आहे.',
  'verification.voiceCode': 'तुमचा पडताळणी कोड {code} आहे.',
  'verification.voiceRepeat': 'पुन्हा एकदा, तुमचा कोड {code} आहे.',
  'verification.voiceGoodbye': 'पुन्हा भेटू.',
  'verification.emailSubject': 'तुमचा {name} पडताळणी कोड',
  'verification.emailBody': 'तुमचा {name} पडताळणी कोड आहे: {code}',
  'verification.emailExpiry': 'हा कोड {minutes} मिनिटांत कालबाह्य होईल. तुम्ही याची विनंती केली नसल्यास, या ईमेलकडे दुर्लक्ष करा.',
  'verification.psd2': 'हा कोड {payee} यांना {amount} च्या पेमेंटला मंजुरी देतो.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} हा तुमचा पडताळणी कोड आहे.',
  'verification.whatsappSecurity': 'तुमच्या सुरक्षिततेसाठी, हा कोड शेअर करू नका.',
  'verification.whatsappExpiry': 'हा कोड {minutes} मिनिटांत कालबाह्य होईल.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'कोड पुन्हा ऐकण्यासाठी 1 दाबा.',
  'voice.enterCode': 'कृपया तुमच्या स्क्रीनवर दाखवलेला कोड प्रविष्ट करा.',
  'voice.wrongCode': 'तो कोड बरोबर नाही.',
  'voice.codeAccepted': 'धन्यवाद. तुमचा फोन नंबर पडताळला गेला आहे.',
  'voice.tooManyWrong': 'खूप जास्त चुकीचे कोड. पुन्हा भेटू.',
  'voice.noInput': 'आम्हाला कोणताही इनपुट मिळाला नाही.',
  'voice.approvePayment': 'तुम्हाला {payee} यांना {amount} च्या पेमेंटला मंजुरी देण्यास सांगितले जात आहे.',
  'voice.approveSignIn': 'तुमच्या खात्यातील एक साइन-इन तुमच्या मंजुरीची वाट पाहत आहे.',
  'voice.pressOneToApprove': 'मंजूर करण्यासाठी 1 दाबा. नाकारण्यासाठी इतर कोणतीही की दाबा.',
  'voice.enterNumberToApprove': 'मंजूर करण्यासाठी, तुमच्या स्क्रीनवर दाखवलेले दोन अंक प्रविष्ट करा. नाकारण्यासाठी, स्टार की दाबा.',
  'voice.approved': 'मंजूर. धन्यवाद. पुन्हा भेटू.',
  'voice.denied': 'नाकारले. हे तुम्ही नसल्यास, कृपया तुमचा पासवर्ड बदला. पुन्हा भेटू.',
  'voice.noLongerValid': 'ही विनंती आता वैध नाही. पुन्हा भेटू.',
  'voice.flashAnswered': 'हा कॉल फक्त तुमचा फोन नंबर पडताळतो. तुम्ही आता कॉल बंद करू शकता. पुन्हा भेटू.',
  'voice.sayPassPhrase': 'बीपनंतर, तुमचा पासफ्रेज बोला.',
  'voice.sayItAgain': 'धन्यवाद. बीपनंतर आणखी एकदा.',
  'voice.recordAgain': 'तुमचा आवाज नीट ऐकू आला नाही. कृपया बीपनंतर पुन्हा प्रयत्न करा.',
  'voice.voiceprintReady': 'तुमचा व्हॉइसप्रिंट तयार आहे. पुन्हा भेटू.',
  'voice.voiceMatched': 'धन्यवाद. तुमचा आवाज पडताळला गेला आहे. पुन्हा भेटू.',
  'voice.voiceNotMatched': 'तुमचा आवाज जुळला नाही. पुन्हा भेटू.',
};
