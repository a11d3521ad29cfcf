import type { MessageCatalog } from './catalog-types.ts';

/** Telugu: the verification message and the call flows only (the hosted pages fall back to English). */
export const te: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'మీ {name} ధృవీకరణ కోడ్: {code}',
  'verification.doNotShare': 'ఈ కోడ్‌ను ఎవరితోనూ పంచుకోవద్దు; మా ఉద్యోగులు ఎప్పుడూ ఈ కోడ్‌ను అడగరు.',
  'verification.voiceIntro': 'నమస్కారం. ఇది {name} నుండి కాల్.',
  'verification.voiceCode': 'మీ ధృవీకరణ కోడ్ {code}.',
  'verification.voiceRepeat': 'మరోసారి, మీ కోడ్ {code}.',
  'verification.voiceGoodbye': 'సెలవు.',
  'verification.emailSubject': 'మీ {name} ధృవీకరణ కోడ్',
  'verification.emailBody': 'మీ {name} ధృవీకరణ కోడ్: {code}',
  'verification.emailExpiry': 'ఈ కోడ్ గడువు {minutes} నిమిషాల్లో ముగుస్తుంది. మీరు దీన్ని అభ్యర్థించకపోతే, ఈ ఇమెయిల్‌ను విస్మరించవచ్చు.',
  'verification.psd2': 'ఈ కోడ్ {payee}కి {amount} చెల్లింపును ఆమోదిస్తుంది.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} మీ ధృవీకరణ కోడ్.',
  'verification.whatsappSecurity': 'మీ భద్రత కోసం, ఈ కోడ్‌ను పంచుకోవద్దు.',
  'verification.whatsappExpiry': 'ఈ కోడ్ గడువు {minutes} నిమిషాల్లో ముగుస్తుంది.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'కోడ్‌ను మళ్లీ వినడానికి 1 నొక్కండి.',
  'voice.enterCode': 'దయచేసి మీ స్క్రీన్‌పై చూపిన కోడ్‌ను నమోదు చేయండి.',
  'voice.wrongCode': 'ఆ కోడ్ సరైనది కాదు.',
  'voice.codeAccepted': 'ధన్యవాదాలు. మీ ఫోన్ నంబర్ ధృవీకరించబడింది.',
  'voice.tooManyWrong': 'చాలా ఎక్కువ తప్పు కోడ్‌లు. సెలవు.',
  'voice.noInput': 'మాకు ఎలాంటి ఇన్‌పుట్ అందలేదు.',
  'voice.approvePayment': '{payee}కి {amount} చెల్లింపును ఆమోదించమని మిమ్మల్ని కోరుతున్నాము.',
  'voice.approveSignIn': 'మీ ఖాతాకు ఒక సైన్-ఇన్ మీ ఆమోదం కోసం వేచి ఉంది.',
  'voice.pressOneToApprove': 'ఆమోదించడానికి 1 నొక్కండి. తిరస్కరించడానికి ఏదైనా ఇతర కీని నొక్కండి.',
  'voice.enterNumberToApprove': 'ఆమోదించడానికి, మీ స్క్రీన్‌పై చూపిన రెండు అంకెలను నమోదు చేయండి. తిరస్కరించడానికి, స్టార్ కీని నొక్కండి.',
  'voice.approved': 'ఆమోదించబడింది. ధన్యవాదాలు. సెలవు.',
  'voice.denied': 'తిరస్కరించబడింది. ఇది మీరు కాకపోతే, దయచేసి మీ పాస్‌వర్డ్‌ను మార్చండి. సెలవు.',
  'voice.noLongerValid': 'ఈ అభ్యర్థన ఇకపై చెల్లదు. సెలవు.',
  'voice.flashAnswered': 'ఈ కాల్ మీ ఫోన్ నంబర్‌ను మాత్రమే ధృవీకరిస్తుంది. మీరు ఇప్పుడు కాల్ ముగించవచ్చు. సెలవు.',
  'voice.sayPassPhrase': 'బీప్ తర్వాత, మీ పాస్‌ఫ్రేజ్ చెప్పండి.',
  'voice.sayItAgain': 'ధన్యవాదాలు. బీప్ తర్వాత మరోసారి.',
  'voice.recordAgain': 'మీ మాట సరిగ్గా వినపడలేదు. దయచేసి బీప్ తర్వాత మళ్లీ ప్రయత్నించండి.',
  'voice.voiceprintReady': 'మీ వాయిస్‌ప్రింట్ సిద్ధంగా ఉంది. సెలవు.',
  'voice.voiceMatched': 'ధన్యవాదాలు. మీ స్వరం ధృవీకరించబడింది. సెలవు.',
  'voice.voiceNotMatched': 'మీ స్వరం సరిపోలలేదు. సెలవు.',
};
