/** SOAP bodies of the ONVIF calls the simulator answers (Profile S, Media 1, PullPoint events). */

const NS = [
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope"',
  'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"',
  'xmlns:trt="http://www.onvif.org/ver10/media/wsdl"',
  'xmlns:tev="http://www.onvif.org/ver10/events/wsdl"',
  'xmlns:tt="http://www.onvif.org/ver10/schema"',
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"',
  'xmlns:wsa5="http://www.w3.org/2005/08/addressing"',
  'xmlns:tns1="http://www.onvif.org/ver10/topics"',
  'xmlns:ter="http://www.onvif.org/ver10/error"',
].join(' ');

export const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${NS}><s:Body>${body}</s:Body></s:Envelope>`;

export const fault = (subcode: string, reason: string) =>
  envelope(
    `<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${reason}</s:Text></s:Reason></s:Fault>`,
  );

export function systemDateAndTime(now: Date): string {
  return envelope(
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>` +
      `<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime>` +
      `<tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
      `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date>` +
      `</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
  );
}

export function services(base: string, events = true, ptz = true): string {
  const svc = (ns: string, path: string) =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr>` +
    `<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
  return envelope(
    `<tds:GetServicesResponse>` +
      svc('http://www.onvif.org/ver10/device/wsdl', '/onvif/device_service') +
      svc('http://www.onvif.org/ver10/media/wsdl', '/onvif/media_service') +
      (events ? svc('http://www.onvif.org/ver10/events/wsdl', '/onvif/events_service') : '') +
      (ptz ? svc('http://www.onvif.org/ver20/ptz/wsdl', '/onvif/ptz_service') : '') +
      `</tds:GetServicesResponse>`,
  );
}

export function capabilities(base: string, events = true, ptz = true): string {
  return envelope(
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
      `<tt:Device><tt:XAddr>${base}/onvif/device_service</tt:XAddr></tt:Device>` +
      (events ? eventCapabilities(base) : '') +
      `<tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
      `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
      (ptz ? `<tt:PTZ><tt:XAddr>${base}/onvif/ptz_service</tt:XAddr></tt:PTZ>` : '') +
      `</tds:Capabilities></tds:GetCapabilitiesResponse>`,
  );
}

const eventCapabilities = (base: string) =>
  `<tt:Events><tt:XAddr>${base}/onvif/events_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
  `<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>`;

export interface SimIdentity {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
}

export function deviceInformation(id: SimIdentity): string {
  return envelope(
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${id.manufacturer}</tds:Manufacturer><tds:Model>${id.model}</tds:Model>` +
      `<tds:FirmwareVersion>${id.firmware}</tds:FirmwareVersion><tds:SerialNumber>${id.serial}</tds:SerialNumber>` +
      `<tds:HardwareId>LL-SIM</tds:HardwareId></tds:GetDeviceInformationResponse>`,
  );
}

export function videoSources(width: number, height: number): string {
  return envelope(
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="vs0"><tt:Framerate>10</tt:Framerate>` +
      `<tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`,
  );
}

export function profiles(width: number, height: number): string {
  return envelope(
    `<trt:GetProfilesResponse><trt:Profiles token="profile_1" fixed="true"><tt:Name>mainStream</tt:Name>` +
      `<tt:VideoSourceConfiguration token="vsc0"><tt:Name>vsc0</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>vs0</tt:SourceToken>` +
      `<tt:Bounds x="0" y="0" width="${width}" height="${height}"/></tt:VideoSourceConfiguration>` +
      `<tt:VideoEncoderConfiguration token="vec0"><tt:Name>vec0</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
      `<tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
      `<tt:RateControl><tt:FrameRateLimit>10</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl>` +
      `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles></trt:GetProfilesResponse>`,
  );
}

const mediaUri = (tag: string, uri: string) =>
  envelope(
    `<trt:${tag}><trt:MediaUri><tt:Uri>${uri}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
      `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${tag}>`,
  );
export const streamUri = (uri: string) => mediaUri('GetStreamUriResponse', uri);
export const snapshotUri = (uri: string) => mediaUri('GetSnapshotUriResponse', uri);

export function pullPointCreated(address: string, now: Date, until: Date): string {
  return envelope(
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa5:Address>${address}</wsa5:Address></tev:SubscriptionReference>` +
      `<wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime><wsnt:TerminationTime>${until.toISOString()}</wsnt:TerminationTime>` +
      `</tev:CreatePullPointSubscriptionResponse>`,
  );
}

/** One ONVIF notification: a topic, a source token and data items. */
export interface SimNotification {
  topic: string;
  at: Date;
  data: Record<string, string>;
}

export function messages(list: SimNotification[], now: Date, until: Date): string {
  const one = (n: SimNotification) =>
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${n.topic}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${n.at.toISOString()}" PropertyOperation="Changed">` +
    `<tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc0"/></tt:Source><tt:Data>` +
    Object.entries(n.data)
      .map(([k, v]) => `<tt:SimpleItem Name="${k}" Value="${v}"/>`)
      .join('') +
    `</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;
  return envelope(
    `<tev:PullMessagesResponse><tev:CurrentTime>${now.toISOString()}</tev:CurrentTime>` +
      `<tev:TerminationTime>${until.toISOString()}</tev:TerminationTime>${list.map(one).join('')}</tev:PullMessagesResponse>`,
  );
}

export const renewed = (now: Date, until: Date) =>
  envelope(
    `<wsnt:RenewResponse><wsnt:TerminationTime>${until.toISOString()}</wsnt:TerminationTime>` +
      `<wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime></wsnt:RenewResponse>`,
  );
export const unsubscribed = () => envelope(`<wsnt:UnsubscribeResponse/>`);

export function probeMatch(relatesTo: string, urn: string, xaddr: string, name: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
    `xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ` +
    `xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>` +
    `<wsa:MessageID>urn:uuid:${crypto.randomUUID()}</wsa:MessageID><wsa:RelatesTo>${relatesTo}</wsa:RelatesTo>` +
    `<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>` +
    `<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></s:Header><s:Body>` +
    `<d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${urn}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter</d:Types>` +
    `<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/${encodeURIComponent(name)} onvif://www.onvif.org/hardware/LL-SIM</d:Scopes>` +
    `<d:XAddrs>${xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`
  );
}
